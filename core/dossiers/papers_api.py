"""The papers of a dossier's checklist over the API: an officer's scan of a paper, and the applicant's upload of a
paper asked for in a supplement request (with the tracking code and phone). Multipart, field ``file`` (repeat it for
the pages of one paper sent as images)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from core.api import bp, require_user
from core.api.errors import ApiError
from core.dossiers import attachments, papers, public, services
from core.dossiers.serializers import all_digitized, iso
from core.extensions import tracking_limit


def _files() -> list:
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", _("Gửi tệp bằng multipart/form-data, trường \"file\"."))
    return request.files.getlist("file")


def _document_json(document) -> dict:
    return {"index": document.position, "name": document.name, "required": document.required,
            "provided": document.provided, "digitized": document.digitized, "attachment_id": document.attachment_id}


@bp.post("/dossiers/<code>/documents/<int:index>/scan")
def scan_document(code: str, index: int):
    user = require_user()
    dossier = services.get_for_user(user, code)
    outcome = papers.attach_paper(user, dossier, index, _files())
    dossier = services.get_for_user(user, code)
    return jsonify({"document": _document_json(outcome.document),
                    "attachment": attachments.attachment_json(outcome.attachment, code),
                    "digitized": all_digitized(dossier)}), 201


@bp.post("/track/<code>/documents/<int:index>")
@tracking_limit()
def upload_document(code: str, index: int):
    files = _files()
    dossier = public.find_by_code_and_phone(code, str(request.form.get("phone") or ""))
    outcome = papers.attach_paper(papers.Applicant(proof="tracking"), dossier, index, files)
    attachment = outcome.attachment
    return jsonify({"code": dossier.code, "document": _document_json(outcome.document),
                    "attachment": {"filename": attachment.filename, "content_type": attachment.content_type,
                                   "size": attachment.size, "sha256": attachment.stored_name,
                                   "uploaded_at": iso(attachment.uploaded_at)}}), 201
