"""Attachment endpoints: upload (multipart, field ``file``), list, and download for users who may see the dossier."""

from __future__ import annotations

from flask import jsonify, request, send_file
from flask_babel import gettext as _

from core.api import bp, require_user
from core.api.errors import ApiError
from core.dossiers import attachments, services


@bp.post("/dossiers/<code>/attachments")
def upload_attachment(code: str):
    user = require_user()
    dossier = services.get_for_user(user, code)
    if not attachments.may_attach(user, dossier):
        raise services.ServiceError(403, "forbidden", _("Bạn không có quyền đính kèm tệp vào hồ sơ này."))
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type",
                       _("Gửi tệp bằng multipart/form-data, trường \"file\"."))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise services.ServiceError(422, "invalid", _("Chưa chọn tệp."),
                                    {"file": _("Chọn một tệp PDF, JPEG hoặc PNG.")})
    attachment = attachments.save_attachment(user, dossier, upload)
    return jsonify(attachments.attachment_json(attachment, code)), 201


@bp.get("/dossiers/<code>/attachments")
def list_attachments(code: str):
    user = require_user()
    dossier = services.get_for_user(user, code)
    return jsonify({"attachments": [attachments.attachment_json(a, code) for a in dossier.attachments]})


@bp.get("/dossiers/<code>/attachments/<int:attachment_id>")
def download_attachment(code: str, attachment_id: int):
    user = require_user()
    attachment, source = attachments.get_attachment(user, code, attachment_id)
    response = send_file(source, mimetype=attachment.content_type, download_name=attachment.filename,
                         etag=attachment.stored_name, conditional=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
