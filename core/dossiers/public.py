"""What the public may do without logging in: track a dossier by code and phone, ask to withdraw it while it is
being handled, and rate it once returned."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.dossiers import workflow
from core.dossiers.models import Dossier, Rating
from core.dossiers.serializers import iso, original_due_at
from core.dossiers.services import ServiceError, perform_action
from core.extensions import db
from core.plugins.manager import get_procedure
from core.tenancy.models import Unit
from core.validators import normalize_phone

RATING_LEVELS = {"rat_hai_long": "Rất hài lòng", "hai_long": "Hài lòng", "khong_hai_long": "Không hài lòng"}

# What a citizen sees of each step: plain words, never the officers' notes or the form data.
PUBLIC_STEPS = {
    "submit": _l("Nộp hồ sơ trực tuyến"), "receive": _l("Tiếp nhận hồ sơ"), "refuse": _l("Từ chối tiếp nhận"),
    "assign": _l("Chuyển cán bộ chuyên môn xử lý"), "request_supplement": _l("Yêu cầu bổ sung hồ sơ"),
    "supplement_received": _l("Nhận hồ sơ bổ sung"), "request_payment": _l("Yêu cầu thực hiện nghĩa vụ tài chính"),
    "payment_received": _l("Hoàn thành nghĩa vụ tài chính"), "transfer": _l("Chuyển liên thông"),
    "submit_for_approval": _l("Trình lãnh đạo ký duyệt"), "approve": _l("Đã có kết quả"),
    "send_back": _l("Bổ sung xử lý"), "apologize": _l("Xin lỗi và hẹn lại ngày trả kết quả"),
    "withdraw": _l("Dừng xử lý theo yêu cầu"), "return_result": _l("Đã trả kết quả"),
    "record_step": _l("Xử lý nghiệp vụ"), "request_withdrawal": _l("Công dân yêu cầu rút hồ sơ"),
    "reschedule": _l("Hẹn lại ngày trả kết quả do thay đổi lịch làm việc"),
    "unit_merged": _l("Chuyển sang đơn vị mới do sắp xếp đơn vị hành chính"),
}
WITHDRAWAL_REASON_MAX = 1000


# History events the citizen does not see: the officers' own steps and the scans they attach.
INTERNAL_EVENTS = ("record_step", "attach")


def _public_step(event) -> str:
    if event.action == "refuse" and event.from_status == "in_progress":
        return str(_l("Từ chối giải quyết, trả lời bằng văn bản"))
    return str(PUBLIC_STEPS.get(event.action, event.action))


def find_by_code_and_phone(code: str, phone: str) -> Dossier:
    """The dossier, or 404 — a wrong phone answers exactly like an unknown code."""
    # Codes are printed in capitals; phones lower-case or capitalise what is typed (DAY-22).
    typed = (code or "").strip()
    dossier = db.session.scalar(select(Dossier).where(Dossier.code.in_({typed, typed.upper()})).limit(1))
    if dossier is None or not phone or dossier.applicant_phone != normalize_phone(phone):
        raise ServiceError(404, "not_found", _("Không tìm thấy hồ sơ với mã và số điện thoại này."))
    return dossier


def _public_steps(dossier: Dossier) -> list[dict]:
    """The public history, saying where the dossier went: a transfer names the receiving unit, and a dossier decided
    by another unit than the one that received it (a death registered where the deceased lived) shows that step
    right after its reception (LAW-11)."""
    routed = (dossier.competent_unit_id != dossier.receiving_unit_id
              and not any(e.action in ("transfer", "unit_merged") for e in dossier.events))
    steps = []
    for event in dossier.events:
        if event.action in INTERNAL_EVENTS:
            continue
        label = _public_step(event)
        if event.action == "transfer" and event.to_unit_id is not None:
            target = db.session.get(Unit, event.to_unit_id)
            label = _("Chuyển liên thông đến %(unit)s", unit=target.name) if target else label
        elif event.action == "unit_merged" and event.to_unit_id is not None:
            target = db.session.get(Unit, event.to_unit_id)
            label = _("Chuyển sang %(unit)s do sắp xếp đơn vị hành chính", unit=target.name) if target else label
        steps.append({"at": iso(event.at), "action": event.action, "label": label})
        if event.action == "receive" and routed:
            steps.append({"at": iso(event.at), "action": "route",
                          "label": _("Chuyển đến %(unit)s giải quyết", unit=dossier.competent_unit.name)})
    return steps


def tracking_json(dossier: Dossier) -> dict:
    procedure = get_procedure(dossier.procedure_key)
    rating = db.session.scalar(select(Rating).where(Rating.dossier_id == dossier.id))
    return {
        "code": dossier.code,
        "procedure": {"key": dossier.procedure_key, "name": procedure.name if procedure else dossier.procedure_key},
        "receiving_unit": dossier.receiving_unit.name,
        "status": dossier.status,
        "status_label": workflow.state_label(dossier.status),
        "received_at": iso(dossier.received_at),
        "due_at": iso(dossier.due_at),
        "extended_due_at": iso(dossier.extended_due_at),
        "returned_at": iso(dossier.returned_at),
        "original_due_at": iso(original_due_at(dossier)),
        "steps": _public_steps(dossier),
        "supplement": supplement_json(dossier),
        "can_withdraw": dossier.status in workflow.WITHDRAWABLE_STATES,
        "can_rate": dossier.status == "returned" and rating is None,
        "rating": rating.level if rating else None,
    }


def supplement_json(dossier: Dossier) -> dict | None:
    """While a supplement is awaited: what to bring, why, and whom to ask, as on Mẫu 02 (DAY-21)."""
    if dossier.status != "supplement_requested":
        return None
    event = next((e for e in reversed(dossier.events) if e.action == "request_supplement"), None)
    if event is None:
        return None
    payload = event.payload or {}
    contact = payload.get("contact") or {"officer": event.actor_name, "unit": dossier.competent_unit.name,
                                         "phone": dossier.competent_unit.phone or dossier.receiving_unit.phone or ""}
    return {"requested_at": iso(event.at), "missing_documents": list(payload.get("missing_documents") or []),
            "reason": payload.get("reason") or event.note, "contact": contact}


def request_withdrawal(dossier: Dossier, reason, now=None) -> Dossier:
    """The applicant asks to withdraw (national status 7); the desk then stops the dossier with its notice."""
    if not isinstance(reason, str) or not reason.strip():
        raise ServiceError(422, "invalid", _("Vui lòng nêu lý do rút hồ sơ."), {"reason": _("Trường này là bắt buộc.")})
    if len(reason) > WITHDRAWAL_REASON_MAX:
        raise ServiceError(422, "invalid", _("Lý do quá dài."),
                           {"reason": _("Tối đa %(n)s ký tự.", n=WITHDRAWAL_REASON_MAX)})
    if dossier.status not in workflow.WITHDRAWABLE_STATES:
        raise ServiceError(409, "invalid_transition",
                           _("Hồ sơ đã được giải quyết xong hoặc đã dừng: không thể yêu cầu rút."))
    return perform_action(None, dossier, "request_withdrawal", {"reason": reason.strip()}, now=now)


def rate(dossier: Dossier, level: str, comment: str | None) -> Rating:
    if not isinstance(level, str) or level not in RATING_LEVELS:
        raise ServiceError(422, "invalid", _("Mức đánh giá không hợp lệ."),
                           {"level": _("Chọn: rat_hai_long, hai_long hoặc khong_hai_long.")})
    if comment is not None and (not isinstance(comment, str) or len(comment) > 2000):
        raise ServiceError(422, "invalid", _("Nhận xét không hợp lệ."), {"comment": _("Tối đa 2000 ký tự.")})
    if dossier.status != "returned":
        raise ServiceError(409, "not_returned", _("Chỉ đánh giá được sau khi đã nhận kết quả."))
    try:
        with write_transaction():
            if db.session.scalar(select(Rating.id).where(Rating.dossier_id == dossier.id)) is not None:
                raise ServiceError(409, "already_rated", _("Hồ sơ này đã được đánh giá."))
            rating = Rating(dossier_id=dossier.id, unit_id=dossier.competent_unit_id, level=level,
                            comment=(comment or "").strip(), created_at=utcnow())
            db.session.add(rating)
    except IntegrityError as exc:  # a simultaneous rating won the unique dossier_id (PostgreSQL)
        raise ServiceError(409, "already_rated", _("Hồ sơ này đã được đánh giá.")) from exc
    return rating
