"""Scanned documents attached to a dossier: PDF, JPEG or PNG, checked by their content, stored by content hash.

Files live in the "uploads" storage (core.storage: UPLOAD_DIR by default, or an S3-compatible bucket; never served
as static files) under the key ``ab/cd/<sha256>``: the same scan uploaded twice is stored once. The type is decided
by the file's first bytes (magic numbers), never by its name or the browser's Content-Type. ATTACHMENT_MAX_BYTES
(default 10 MB) limits each file.

An upload writes the Attachment row and an "attach" history event in one transaction (the dossier's state and
version do not change). Only officers who may act on the dossier (reception, specialist or leader of its receiving or
competent unit) attach; only users who may view the dossier download, others get 404.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.dossiers import services
from core.dossiers.models import Attachment, Dossier
from core.dossiers.serializers import iso
from core.extensions import db
from core.storage import storage
from core.users.permissions import can

log = logging.getLogger("motcua.attachments")

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
# content type -> (magic prefix, extension)
TYPES = {
    "application/pdf": (b"%PDF-", ".pdf"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
}
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def max_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def uploads():
    return storage("uploads")


def key_for(digest: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{64}", digest or ""):
        raise ValueError("not a sha256 digest")
    return f"{digest[:2]}/{digest[2:4]}/{digest}"


def sniff(head: bytes) -> str | None:
    """The content type the first bytes prove (PDF, JPEG, PNG), or None."""
    for content_type, (magic, _ext) in TYPES.items():
        if head.startswith(magic):
            return content_type
    return None


def path_for(digest: str) -> Path:
    """Where the filesystem backend keeps a scan (UPLOAD_DIR/ab/cd/<sha256>)."""
    return upload_root() / key_for(digest)


def clean_filename(name: str | None, content_type: str) -> str:
    """A display name: no folders, no control or reserved characters, the extension of the real type."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub("", name).strip().strip(".") or _("tep-dinh-kem")
    extension = TYPES[content_type][1]
    stem, dot, ext = name.rpartition(".")
    if not dot or ("." + ext.lower()) not in (extension, ".jpeg" if extension == ".jpg" else extension):
        name = f"{name}{extension}"
    if len(name) > 200:
        name = name[: 200 - len(extension)] + extension
    return name


def _too_large() -> services.ServiceError:
    limit_mb = max_bytes() / (1024 * 1024)
    return services.ServiceError(413, "too_large", _("Tệp quá lớn."),
                                 {"file": _("Mỗi tệp tối đa %(size)s MB.", size=f"{limit_mb:g}")})


def _wrong_type() -> services.ServiceError:
    return services.ServiceError(422, "unsupported_file_type", _("Loại tệp không được chấp nhận."),
                                 {"file": _("Chỉ nhận tệp PDF, JPEG hoặc PNG.")})


def _stream(upload) -> BinaryIO:
    return getattr(upload, "stream", upload)


def check_upload(upload) -> str:
    """Check size and type of an upload (a werkzeug FileStorage) without storing it; returns the content type.

    Raises ServiceError 413 (too large) or 422 (empty, or not a PDF/JPEG/PNG). The stream is rewound.
    """
    stream = _stream(upload)
    stream.seek(0)
    head = stream.read(16)
    size = len(head)
    while size <= max_bytes():
        chunk = stream.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
    stream.seek(0)
    if size > max_bytes():
        raise _too_large()
    if size == 0:
        raise services.ServiceError(422, "invalid", _("Tệp trống."), {"file": _("Tệp không có nội dung.")})
    content_type = sniff(head)
    if content_type is None:
        raise _wrong_type()
    return content_type


def _store(upload) -> tuple[str, int, str, bool]:
    """Copy the upload into the uploads storage by content hash; returns (sha256, size, content type, newly created)."""
    content_type = check_upload(upload)
    stream = _stream(upload)
    digest, size = hashlib.sha256(), 0
    # The hash is known only at the end: spool to a local temporary file, then store it whole under its key.
    handle, temp_name = tempfile.mkstemp(prefix="motcua-upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes():  # the stream grew after the check
                    raise _too_large()
                digest.update(chunk)
                out.write(chunk)
        created = uploads().put(key_for(digest.hexdigest()), temp_name)
        return digest.hexdigest(), size, content_type, created
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def may_attach(user, dossier: Dossier) -> bool:
    """Officers who may act on the dossier: a reception, specialist or leader role over either of its units."""
    return any(can(user, "dossier.act", unit_id) for unit_id in (dossier.receiving_unit_id, dossier.competent_unit_id))


def save_attachment(user, dossier: Dossier, upload, now: datetime | None = None) -> Attachment:
    """Store ``upload`` (a werkzeug FileStorage) and record it on the dossier with an "attach" history event."""
    now = now or utcnow()
    if not services.may_view(user, dossier):
        raise services.ServiceError(404, "not_found", _("Không tìm thấy hồ sơ."))
    if not may_attach(user, dossier):
        raise services.ServiceError(403, "forbidden", _("Bạn không có quyền đính kèm tệp vào hồ sơ này."))
    stored = store_upload(upload)
    with discard_on_failure(stored):
        with write_transaction():
            dossier = db.session.merge(dossier)
            attachment = add_attachment(dossier, stored, getattr(upload, "filename", None), user, now)
            services.record_event(dossier, "attach", user, now, note=attachment.filename,
                                  payload=attachment_payload(attachment))
    return attachment


@dataclass(frozen=True)
class StoredFile:
    """A checked upload in the uploads storage, not yet recorded on any dossier."""

    sha256: str
    size: int
    content_type: str
    created: bool  # this upload put it there (so a failed recording removes it again)


def store_upload(upload) -> StoredFile:
    """Check ``upload`` (size, type by content) and store it by content hash; ServiceError 413/422 otherwise."""
    return StoredFile(*_store(upload))


@contextmanager
def discard_on_failure(stored: StoredFile):
    """Remove a file this upload stored when its recording fails and no attachment row refers to it."""
    try:
        yield
    except BaseException:
        if stored.created and db.session.scalar(
                select(Attachment.id).where(Attachment.stored_name == stored.sha256)) is None:
            uploads().delete(key_for(stored.sha256))
        raise


def add_attachment(dossier: Dossier, stored: StoredFile, filename: str | None, user, now: datetime) -> Attachment:
    """The Attachment row of a stored file (``user`` None: the applicant uploaded it), in the caller's transaction."""
    attachment = Attachment(dossier_id=dossier.id, filename=clean_filename(filename, stored.content_type),
                            stored_name=stored.sha256, content_type=stored.content_type, size=stored.size,
                            uploaded_at=now, uploaded_by_id=user.id if user is not None else None)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def attachment_payload(attachment: Attachment) -> dict:
    """What the history keeps of an attachment."""
    return {"attachment_id": attachment.id, "filename": attachment.filename,
            "content_type": attachment.content_type, "size": attachment.size, "sha256": attachment.stored_name}


def get_attachment(user, code: str, attachment_id: int):
    """The attachment and its file (what ``send_file`` takes: a path, or a stream from a bucket) for a user who may
    view the dossier; 404 otherwise (or if the file is gone)."""
    dossier = services.get_for_user(user, code)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.dossier_id != dossier.id:
        raise services.ServiceError(404, "not_found", _("Không tìm thấy tệp đính kèm."))
    source = uploads().download_source(key_for(attachment.stored_name))
    if source is None:
        log.error("attachment %s of %s: file %s is missing from the %s storage", attachment.id, code,
                  key_for(attachment.stored_name), uploads().name)
        raise services.ServiceError(404, "not_found", _("Không tìm thấy tệp đính kèm."))
    return attachment, source


def download_url(attachment: Attachment, code: str | None = None) -> str:
    code = code or attachment.dossier.code
    if has_request_context():
        return url_for("api.download_attachment", code=code, attachment_id=attachment.id)
    return f"/api/v1/dossiers/{code}/attachments/{attachment.id}"


def attachment_json(attachment: Attachment, code: str | None = None) -> dict:
    return {
        "id": attachment.id, "filename": attachment.filename, "content_type": attachment.content_type,
        "size": attachment.size, "sha256": attachment.stored_name, "uploaded_at": iso(attachment.uploaded_at),
        "url": download_url(attachment, code),
    }
