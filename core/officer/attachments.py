"""Scans attached at the counter and on the dossier page, through the attachments service.

``core.dossiers.attachments`` stores files outside the web root and checks their type by content; this adapter only
hands it the uploaded files (form field ``attachments``, several files allowed) and lists what a dossier has, with
links that serve a file only to users who may see the dossier.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from core.dossiers import attachments
from core.dossiers import papers as paper_service
from core.dossiers.models import Dossier
from core.dossiers.serializers import all_digitized
from core.dossiers.services import ServiceError

FIELD = "attachments"


def _uploads() -> list:
    return [f for f in request.files.getlist(FIELD) if f and f.filename]


def files_in_request() -> bool:
    return bool(_uploads())


def check_uploads() -> list[str]:
    """Messages for uploads that cannot be accepted, before anything is written."""
    errors = []
    for upload in _uploads():
        try:
            attachments.check_upload(upload)
        except ServiceError as exc:
            errors.append(_("Tệp %(name)s: %(message)s", name=upload.filename, message=_message(exc)))
    return errors


def save_uploads(user, dossier: Dossier) -> list[str]:
    """Attach every uploaded file to ``dossier``; returns messages for files that could not be stored."""
    errors = []
    for upload in _uploads():
        try:
            attachments.save_attachment(user, dossier, upload)
        except ServiceError as exc:  # reported on the dossier page; the dossier itself is already received
            errors.append(_("Không lưu được tệp %(name)s: %(message)s", name=upload.filename, message=_message(exc)))
    return errors


def _message(exc: ServiceError) -> str:
    return str((exc.fields or {}).get("file") or exc.message)


def message(exc: ServiceError) -> str:
    return _message(exc)


def may_digitize(user, dossier: Dossier) -> bool:
    try:
        paper_service.check_uploader(user, dossier)
    except ServiceError:
        return False
    return True


def digitize(user, dossier: Dossier, index: int) -> paper_service.Outcome:
    """Scan the paper at ``index`` from the files of the form field ``file``."""
    return paper_service.attach_paper(user, dossier, index, request.files.getlist("file"))


def papers(dossier: Dossier) -> dict:
    """The checklist with each paper's scan, for the dossier page."""
    by_id = {a.id: a for a in dossier.attachments}
    rows = []
    for document in dossier.documents:
        scan = by_id.get(document.attachment_id)
        rows.append({"index": document.position, "name": document.name, "kind": document.kind,
                     "required": document.required, "provided": document.provided,
                     "scan": {"filename": scan.filename, "url": attachments.download_url(scan, dossier.code)}
                     if scan is not None else None})
    return {"rows": rows, "digitized": all_digitized(dossier)}


def may_attach(user, dossier: Dossier) -> bool:
    return attachments.may_attach(user, dossier)


def listing(dossier: Dossier, unit_slug: str) -> list[dict]:
    """[{filename, size, content_type, uploaded_at, url}] of the dossier's attachments."""
    rows = []
    for item in dossier.attachments:
        url = attachments.download_url(item, dossier.code)
        rows.append({"filename": item.filename, "size": item.size, "content_type": item.content_type,
                     "uploaded_at": item.uploaded_at, "url": url})
    return rows
