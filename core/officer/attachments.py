"""Scans attached at the counter and on the dossier page, through the attachments service.

``core.dossiers.attachments`` stores files outside the web root and checks their type by content; this adapter only
hands it the uploaded files (form field ``attachments``, several files allowed) and lists what a dossier has, with
links that serve a file only to users who may see the dossier. Should that module be absent, the pages show no file
input and list attachment rows without links.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from core.dossiers.models import Dossier
from core.dossiers.services import ServiceError
from core.modelsets import import_optional

FIELD = "attachments"


def _service():
    module = import_optional("core.dossiers.attachments")
    if module is None:
        return None
    for name in ("save_attachment", "add_attachment", "store_attachment", "attach"):
        if callable(getattr(module, name, None)):
            return module, getattr(module, name)
    return None


def available() -> bool:
    return _service() is not None


def _uploads() -> list:
    return [f for f in request.files.getlist(FIELD) if f and f.filename]


def files_in_request() -> bool:
    return bool(_uploads())


def check_uploads() -> list[str]:
    """Messages for uploads that cannot be accepted, before anything is written."""
    found = _service()
    if found is None or not _uploads():
        return []
    module, _save = found
    check = getattr(module, "check_upload", None) or getattr(module, "validate_upload", None)
    errors = []
    if callable(check):
        for upload in _uploads():
            try:
                check(upload)
            except ServiceError as exc:
                errors.append(_("Tệp %(name)s: %(message)s", name=upload.filename, message=_message(exc)))
    return errors


def save_uploads(user, dossier: Dossier) -> list[str]:
    """Attach every uploaded file to ``dossier``; returns messages for files that could not be stored."""
    found = _service()
    if found is None:
        return []
    _module, save = found
    errors = []
    for upload in _uploads():
        try:
            save(user, dossier, upload)
        except ServiceError as exc:  # reported on the dossier page; the dossier itself is already received
            errors.append(_("Không lưu được tệp %(name)s: %(message)s", name=upload.filename, message=_message(exc)))
    return errors


def _message(exc: Exception) -> str:
    fields = getattr(exc, "fields", None) or {}
    return str(fields.get("file") or getattr(exc, "message", None) or exc)


def may_attach(user, dossier: Dossier) -> bool:
    found = _service()
    check = getattr(found[0], "may_attach", None) if found else None
    return bool(callable(check) and check(user, dossier))


def listing(dossier: Dossier, unit_slug: str) -> list[dict]:
    """[{filename, size, content_type, uploaded_at, url}] of the dossier's attachments."""
    found = _service()
    url_of = getattr(found[0], "download_url", None) if found else None
    rows = []
    for item in dossier.attachments:
        url = url_of(item, dossier.code) if callable(url_of) else None
        rows.append({"filename": item.filename, "size": item.size, "content_type": item.content_type,
                     "uploaded_at": item.uploaded_at, "url": url})
    return rows
