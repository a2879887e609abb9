"""What the public may do without logging in: track a dossier by code and phone, ask to withdraw it while it is
being handled, and rate it once returned."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, literal_column, select
from sqlalchemy.exc import IntegrityError

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.dossiers import workflow
from core.dossiers.models import Dossier, DossierDocument, DossierEvent, Rating
from core.dossiers.serializers import SHOWN_ONLY, iso
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
    "upload_document": _l("Nộp bổ sung giấy tờ trực tuyến"),
    "payment_started": _l("Bắt đầu thanh toán phí, lệ phí trực tuyến"),
    "payment_paid": _l("Đã thanh toán phí, lệ phí trực tuyến"),
    "payment_failed": _l("Thanh toán trực tuyến không thành công"),
}
WITHDRAWAL_REASON_MAX = 1000


# History events the citizen does not see: the officers' own steps, the scans they attach or digitise, and the
# earlier results they reuse.
INTERNAL_EVENTS = ("record_step", "attach", "digitize", "reuse_result")


def _public_step(event, labels: dict) -> str:
    if event.action == "refuse" and event.from_status == "in_progress":
        return str(_l("Từ chối giải quyết, trả lời bằng văn bản"))
    if event.action not in labels:  # each label translated once per answer, not once per step
        labels[event.action] = str(PUBLIC_STEPS.get(event.action, event.action))
    return labels[event.action]


def find_by_code_and_phone(code: str, phone: str) -> Dossier:
    """The dossier, or 404 — a wrong phone answers exactly like an unknown code."""
    # Codes are printed in capitals; phones lower-case or capitalise what is typed (DAY-22).
    typed = (code or "").strip()
    dossier = db.session.scalar(select(Dossier).where(Dossier.code.in_({typed, typed.upper()})).limit(1))
    if dossier is None or not phone or dossier.applicant_phone != normalize_phone(phone):
        raise _not_found()
    return dossier


def _not_found() -> ServiceError:
    return ServiceError(404, "not_found", _("Không tìm thấy hồ sơ với mã và số điện thoại này."))


# Public tracking is the busiest read (issue 16): one indexed query of plain rows, the dossier with its units' names,
# its rating and its fee's state, joined to its public history (one row per step); no ORM objects, no lazy loads.
# The statement is Core (table columns) and built once per process: building a select and its payment subqueries
# cost more CPU than running it.
@cache
def _tracking_select(by_code: bool):
    from core.payments.state import summary_columns_core

    dossier, rating = Dossier.__table__, Rating.__table__
    receiving, competent = Unit.__table__.alias("receiving_unit"), Unit.__table__.alias("competent_unit")
    # A code typed as printed, or in capitals (DAY-22): two fixed parameters, so the SQL text is the same every time
    # and psycopg can prepare it (see _lookup_connection).
    where = (dossier.c.code.in_([bindparam("code", type_=dossier.c.code.type),
                                 bindparam("code_upper", type_=dossier.c.code.type)]) if by_code
             else dossier.c.id == bindparam("dossier_id", type_=dossier.c.id.type))
    # The dossier is a derived table of one row, so its subqueries run once, not once per step.
    tracked = (select(dossier.c.id, dossier.c.code, dossier.c.procedure_key, dossier.c.status,
                      dossier.c.applicant_phone, dossier.c.fee, dossier.c.received_at, dossier.c.due_at,
                      dossier.c.extended_due_at, dossier.c.returned_at, dossier.c.receiving_unit_id,
                      dossier.c.competent_unit_id, receiving.c.name.label("receiving_name"),
                      receiving.c.phone.label("receiving_phone"), competent.c.name.label("competent_name"),
                      competent.c.phone.label("competent_phone"), rating.c.level.label("rating"),
                      *summary_columns_core())
               .join(receiving, receiving.c.id == dossier.c.receiving_unit_id)
               .join(competent, competent.c.id == dossier.c.competent_unit_id)
               .outerjoin(rating, rating.c.dossier_id == dossier.c.id)
               .where(where).limit(1).subquery("tracked"))
    # The officers' own steps never reach the citizen, so they are not read either.
    event, target = DossierEvent.__table__, Unit.__table__.alias("to_unit")
    # The list is the code's own constant, written into the SQL once: a literal_execute parameter had SQLAlchemy
    # render it into the statement again at every execution.
    internal = [literal_column(f"'{action}'", type_=event.c.action.type) for action in INTERNAL_EVENTS]
    public_event = and_(event.c.dossier_id == tracked.c.id, event.c.action.not_in(internal))
    return (select(tracked, event.c.at, event.c.action, event.c.from_status, event.c.to_unit_id, event.c.actor_name,
                   event.c.note, event.c.payload, target.c.name.label("to_unit_name"))
            .select_from(tracked.outerjoin(event, public_event).outerjoin(target, target.c.id == event.c.to_unit_id))
            .order_by(event.c.id))


@contextmanager
def _lookup_connection():
    """A connection of its own for the lookup, which only reads, and never rolled back: psycopg forgets the
    statements it prepared at every ROLLBACK, and without this PostgreSQL planned the tracking statement at every
    request, which cost it ten times more than running it (1.4 ms against 0.15 ms of its CPU on the 1M bench
    database). On PostgreSQL the connection reads in autocommit, so the lookup is one round trip, not three (psycopg
    sends BEGIN before the query and the COMMIT after it on their own): each statement of READ COMMITTED sees its own
    snapshot anyway, so the reads see what they saw inside a transaction. The pool puts the connection back in its
    transaction mode when it is handed back."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            yield conn
        except ServiceError:
            conn.commit()  # an unknown code or a wrong phone: nothing went wrong with the database
            raise
        conn.commit()


def _read(conn, by_code: bool, **params):
    """The dossier's row and its public steps' rows (the same rows: the dossier's columns repeat on each), or
    (None, [])."""
    rows = conn.execute(_tracking_select(by_code), params).all()
    if not rows:
        return None, []
    return rows[0], (rows if rows[0].action is not None else [])


def track(code: str, phone: str) -> dict:
    """The public view of the dossier with this code and phone, or 404 — a wrong phone answers exactly like an
    unknown code."""
    typed = (code or "").strip()
    with _lookup_connection() as conn:
        row, events = _read(conn, True, code=typed, code_upper=typed.upper())
        if row is None or not phone or row.applicant_phone != normalize_phone(phone):
            raise _not_found()
        return _tracking(conn, row, events)


def tracking_json(dossier: Dossier) -> dict:
    """``track``'s answer for a dossier already loaded, read in the request's own transaction (it follows a change
    made in this request)."""
    conn = db.session.connection()
    return _tracking(conn, *_read(conn, False, dossier_id=dossier.id))


def _original_due_at(row, events):
    """As serializers.original_due_at, from the rows: the appointment given at reception (LAW-05)."""
    receive = next((e for e in events if e.action == "receive"), None)
    value = (receive.payload or {}).get("due_at") if receive is not None else None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    return row.due_at


def _public_steps(row, events) -> list[dict]:
    """The public history, saying where the dossier went: a transfer names the receiving unit, and a dossier decided
    by another unit than the one that received it (a death registered where the deceased lived) shows that step
    right after its reception (LAW-11)."""
    routed = (row.competent_unit_id != row.receiving_unit_id
              and not any(e.action in ("transfer", "unit_merged") for e in events))
    labels: dict[str, str] = {}
    steps = []
    for event in events:
        if event.action == "upload_document" and (event.payload or {}).get("with_submission"):
            continue  # part of the online submission, already a step
        label = _public_step(event, labels)
        if event.action == "transfer" and event.to_unit_id is not None and event.to_unit_name is not None:
            label = _("Chuyển liên thông đến %(unit)s", unit=event.to_unit_name)
        elif event.action == "unit_merged" and event.to_unit_id is not None and event.to_unit_name is not None:
            label = _("Chuyển sang %(unit)s do sắp xếp đơn vị hành chính", unit=event.to_unit_name)
        steps.append({"at": iso(event.at), "action": event.action, "label": label})
        if event.action == "receive" and routed:
            steps.append({"at": iso(event.at), "action": "route",
                          "label": _("Chuyển đến %(unit)s giải quyết", unit=row.competent_name)})
    return steps


def _tracking(conn, row, events) -> dict:
    from core.payments.state import summary_from_row

    procedure = get_procedure(row.procedure_key)
    return {
        "code": row.code,
        "procedure": {"key": row.procedure_key, "name": procedure.name if procedure else row.procedure_key},
        "receiving_unit": row.receiving_name,
        "status": row.status,
        "status_label": workflow.state_label(row.status),
        "received_at": iso(row.received_at),
        "due_at": iso(row.due_at),
        "extended_due_at": iso(row.extended_due_at),
        "returned_at": iso(row.returned_at),
        "original_due_at": iso(_original_due_at(row, events)),
        "steps": _public_steps(row, events),
        "supplement": _supplement(conn, row, events),
        "can_withdraw": row.status in workflow.WITHDRAWABLE_STATES,
        "can_rate": row.status == "returned" and row.rating is None,
        "rating": row.rating,
        "fee": row.fee,
        "payment": summary_from_row(row),
    }


def _supplement(conn, row, events) -> dict | None:
    """While a supplement is awaited: what to bring, why, and whom to ask, as on Mẫu 02 (DAY-21)."""
    if row.status != "supplement_requested":
        return None
    event = next((e for e in reversed(events) if e.action == "request_supplement"), None)
    if event is None:
        return None
    payload = event.payload or {}
    contact = payload.get("contact") or {"officer": event.actor_name, "unit": row.competent_name,
                                         "phone": row.competent_phone or row.receiving_phone or ""}
    return {"requested_at": iso(event.at), "missing_documents": list(payload.get("missing_documents") or []),
            "reason": payload.get("reason") or event.note, "contact": contact, "documents": _papers(conn, row.id)}


@cache
def _papers_select():
    document = DossierDocument.__table__
    return (select(document.c.position, document.c.name, document.c.attachment_id)
            .where(document.c.dossier_id == bindparam("dossier_id", type_=document.c.dossier_id.type),
                   document.c.kind != SHOWN_ONLY)
            .order_by(document.c.position))


def _papers(conn, dossier_id: int) -> list[dict]:
    """The papers the applicant may upload while a supplement is asked for (``POST /api/v1/track/<code>/documents/
    <index>``): the checklist but the papers only shown for identification."""
    rows = conn.execute(_papers_select(), {"dossier_id": dossier_id}).all()
    return [{"index": r.position, "name": r.name, "digitized": r.attachment_id is not None} for r in rows]


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
