"""Look up an applicant's earlier electronic results and attach one to a dossier instead of a paper.

The lookup crosses units on purpose: the same personal ID number in any unit of the deployment. It is a processing
of personal data, so each lookup and each attachment writes a row of the access log (core.accesslog; Law 91/2025 on
personal data protection) with the purpose the officer gave, which the administrators read under "Nhật ký truy
cập". Only officers who may act on the dossier (reception, specialist, leader of its units) may look up.
"""

from __future__ import annotations

from datetime import datetime

from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import select

from core.accesslog.models import AccessLog
from core.db_types import utcnow
from core.dbutil import write_transaction
from core.dossiers import services
from core.dossiers.attachments import may_attach
from core.dossiers.models import Dossier, DossierResult
from core.dossiers.results import result_json
from core.dossiers.reused import ReusedResult
from core.dossiers.serializers import iso
from core.extensions import db

PURPOSE_MIN, PURPOSE_MAX = 5, 300


def clean_purpose(purpose) -> str:
    """The purpose as recorded; a ServiceError (422, field ``purpose``) when missing or too long."""
    text = " ".join(purpose.split()) if isinstance(purpose, str) else ""
    if len(text) < PURPOSE_MIN:
        raise services.ServiceError(422, "invalid", _("Vui lòng ghi mục đích tra cứu."),
                                    {"purpose": _("Vui lòng ghi mục đích tra cứu (ít nhất 5 ký tự).")})
    if len(text) > PURPOSE_MAX:
        raise services.ServiceError(422, "invalid", _("Mục đích tra cứu quá dài."),
                                    {"purpose": _("Không được dài quá %(max)d ký tự.", max=PURPOSE_MAX)})
    return text


def _check(user, dossier: Dossier) -> None:
    if not services.may_view(user, dossier):
        raise services.ServiceError(404, "not_found", _("Không tìm thấy hồ sơ."))
    if not may_attach(user, dossier):
        raise services.ServiceError(403, "forbidden",
                                    _("Bạn không có quyền tra cứu kết quả điện tử cho hồ sơ này."))


def _log(user, dossier: Dossier, action: str, purpose: str, now: datetime) -> AccessLog:
    target = f"{dossier.code} {dossier.applicant_id_number}: {purpose}"[:200]
    address = (request.remote_addr or "")[:64] if has_request_context() else ""
    row = AccessLog(at=now, user_id=user.id, username=user.username, unit_id=dossier.competent_unit_id,
                    action=action, target=target, address=address)
    db.session.add(row)
    return row


def earlier_results(user, dossier: Dossier, purpose, now: datetime | None = None) -> list[DossierResult]:
    """The applicant's e-results of other dossiers (any unit), newest first; the lookup is logged with its purpose
    before anything is shown."""
    _check(user, dossier)
    purpose = clean_purpose(purpose)
    with write_transaction():
        _log(user, dossier, "result.lookup", purpose, now or utcnow())
    return list(db.session.scalars(
        select(DossierResult).join(Dossier, DossierResult.dossier_id == Dossier.id)
        .where(Dossier.applicant_id_number == dossier.applicant_id_number, Dossier.id != dossier.id)
        .order_by(DossierResult.signed_at.desc(), DossierResult.id.desc()).limit(100)))


def reused_in(dossier: Dossier) -> list[ReusedResult]:
    if dossier.just_created:  # results are reused after reception, never by it
        return []
    return list(db.session.scalars(select(ReusedResult).where(ReusedResult.dossier_id == dossier.id)
                                   .order_by(ReusedResult.id)))


def reuse_result(user, dossier: Dossier, sha256, document_name, purpose,
                 now: datetime | None = None) -> ReusedResult:
    """Attach the e-result whose signed file has hash ``sha256`` to ``dossier`` in place of the paper
    ``document_name`` of its checklist (that paper is then provided), with a history event and an access-log row, in
    one transaction."""
    _check(user, dossier)
    purpose = clean_purpose(purpose)
    now = now or utcnow()
    sha256 = sha256.lower() if isinstance(sha256, str) else ""
    result = db.session.scalar(select(DossierResult).where(DossierResult.sha256 == sha256)) if sha256 else None
    if result is None or result.dossier.applicant_id_number != dossier.applicant_id_number \
            or result.dossier_id == dossier.id:
        # Only the applicant's own results: a number typed into the form reaches no one else's.
        raise services.ServiceError(404, "not_found", _("Không tìm thấy kết quả điện tử này của người nộp hồ sơ."),
                                    {"result": _("Không tìm thấy kết quả điện tử này của người nộp hồ sơ.")})
    document_name = document_name if isinstance(document_name, str) else ""
    papers = {d.name: d for d in dossier.documents}
    if document_name and document_name not in papers:
        raise services.ServiceError(422, "invalid", _("Giấy tờ đã chọn không có trong danh mục của hồ sơ."),
                                    {"document": _("Giấy tờ đã chọn không có trong danh mục của hồ sơ.")})
    if db.session.scalar(select(ReusedResult.id).where(ReusedResult.dossier_id == dossier.id,
                                                       ReusedResult.result_id == result.id)) is not None:
        raise services.ServiceError(409, "conflict", _("Kết quả điện tử này đã được đính kèm vào hồ sơ."))
    source = result.dossier.code
    with write_transaction():
        dossier = db.session.merge(dossier)
        reused = ReusedResult(dossier_id=dossier.id, result_id=result.id, document_name=document_name,
                              purpose=purpose, user_id=user.id, at=now)
        db.session.add(reused)
        if document_name:
            papers = {d.name: d for d in dossier.documents}
            papers[document_name].provided = True
        _log(user, dossier, "result.reuse", purpose, now)
        db.session.flush()
        services.record_event(dossier, "reuse_result", user, now, note=result.title, payload={
            "result_id": result.id, "key": result.key, "title": result.title, "sha256": result.sha256,
            "from_dossier": source, "document": document_name, "purpose": purpose})
    return reused


def earlier_json(result: DossierResult) -> dict:
    """A found result: its public JSON, the dossier it was issued for and the issuing unit."""
    return {**result_json(result), "dossier": result.dossier.code, "unit": result.dossier.competent_unit.slug}


def reused_json(reused: ReusedResult) -> dict:
    result = reused.result
    return {"document": reused.document_name or None, "purpose": reused.purpose, "at": iso(reused.at),
            "from_dossier": result.dossier.code, "result": result_json(result)}


def reused_list_json(dossier: Dossier) -> list[dict]:
    return [reused_json(r) for r in reused_in(dossier)]
