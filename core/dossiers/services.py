"""The ONLY place a dossier changes.

Each public function checks permission and state, applies the change, appends the history row and the outbox rows,
and lets enabled plugins react, all in one transaction (``write_transaction``). Errors are ``ServiceError`` with an
HTTP status, a stable code, a Vietnamese message and per-field messages; on any error nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal, InvalidOperation

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from wtforms import EmailField, Form, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from core import form_messages
from core.catalog.forms import bind_form, form_to_data, json_value
from core.catalog.models import ProcedureRecord
from core.catalog.services import ensure_procedure_row
from core.db_types import utcnow
from core.dbutil import write_transaction
from core.dossiers import anywhere, workflow
from core.dossiers.calendar import calendar_for, forget_calendars
from core.dossiers.clock import (
    VN_TZ,
    TimeLimit,
    classify_completion,
    compute_due_at,
    reschedule_due_at,
    resume_due_at,
)
from core.dossiers.codes import new_code
from core.dossiers.models import CHANNELS, Dossier, DossierDocument, DossierEvent
from core.dossiers.serializers import iso
from core.extensions import db
from core.national_portal.queue import queue_for_event
from core.notifications.outbox import notify_applicant
from core.plugins.manager import get_procedure, hooks_for, is_enabled
from core.plugins.types import Issue, Procedure, ProcessingTime, RuleContext, Veto, gettext_noop, translate
from core.tenancy.models import Unit
from core.tenancy.services import get_unit_or_none, same_jurisdiction
from core.users.models import User
from core.users.permissions import can, roles_over
from core.validators import fold, id_number_validator, person_name, phone_validator


class ServiceError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.fields, self.extra = status, code, message, fields or {}, extra


@dataclass
class Outcome:
    dossier: Dossier
    warnings: list[Issue] = field(default_factory=list)


class ApplicantForm(Form):
    class Meta:
        get_translations = staticmethod(form_messages.get_translations)  # WTForms' messages in the reader's language

    full_name = StringField("full_name", [DataRequired(), Length(max=200), person_name])
    id_number = StringField("id_number", [id_number_validator])
    phone = StringField("phone", [phone_validator])
    address = StringField("address", [DataRequired(), Length(max=300)])
    email = EmailField("email", [Optional(), Email(), Length(max=200)])


APPLICANT_FIELDS = ("full_name", "id_number", "phone", "address", "email")
MAX_AMOUNT = 10**12  # đồng; far above any fee or land obligation, far below what a BIGINT column holds


def _field_messages(form: Form, prefix: str = "") -> dict[str, str]:
    messages = {}
    for name, errors in form.errors.items():
        # A value that could not be read (a date like 31/02) reports that, not the "required" that follows it.
        process_errors = getattr(form[name], "process_errors", None) or []
        messages[f"{prefix}{name}"] = str(process_errors[0] if process_errors else errors[0])
    return messages


def local_date(moment: datetime):
    return moment.astimezone(VN_TZ).date()


def time_limit_of(dossier: Dossier) -> TimeLimit:
    cutoff = time.fromisoformat(dossier.time_limit_cutoff) if dossier.time_limit_cutoff else None
    return TimeLimit(dossier.time_limit_value, dossier.time_limit_unit, cutoff)


def procedure_limit(procedure: Procedure, on) -> TimeLimit:
    pt = procedure.version_at(on).processing_time
    return TimeLimit(pt.value, pt.unit, pt.cutoff)


def rule_context(unit: Unit, procedure: Procedure, on, channel: str = "") -> RuleContext:
    return RuleContext(on=on, unit_slug=unit.slug, unit_settings=unit.plugin_settings(procedure.plugin),
                       unit_id=unit.id, channel=channel)


MAX_NUMBER = 10**15


def _storable_number(value) -> bool:
    """Numbers a form parsed ("1e999", "NaN", "Infinity" are valid Decimals) must be finite and of a sane size:
    JSON and the database hold neither infinities nor NaN (SEC-11)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return True
    try:
        return abs(value) <= MAX_NUMBER  # False for inf and float NaN
    except InvalidOperation:  # Decimal NaN does not compare
        return False


def _rule_issues(unit: Unit, procedure: Procedure, clean: dict, on, complete: bool, channel: str = "") -> list[Issue]:
    """The procedure's rules and other plugins' checks. On a form that still has errors they run too, so that every
    mistake is told in one pass; a rule that cannot run without the missing values is left for the next pass."""
    context = rule_context(unit, procedure, on, channel)
    checks = [procedure.rules] if procedure.rules else []
    issues: list[Issue] = []
    try:
        for check in checks:
            issues.extend(check(clean, context))
        for found in hooks_for(unit).validate_dossier(procedure=procedure, data=clean, context=context):
            issues.extend(found or [])
    except (TypeError, ValueError, KeyError, AttributeError):
        if complete:
            raise
    return issues


def validate_submission(unit: Unit, procedure: Procedure, applicant: dict, data: dict, on,
                        extra_errors: dict | None = None, extra_code: str = "", channel: str = ""):
    """Check the applicant, the procedure's form and its rules in one pass; returns (clean data, stored data, clean
    applicant, warnings) or raises 422 naming every field in error (``extra_errors``: the caller's own, e.g. the
    papers handed in; ``extra_code``: the error code when they are the only errors)."""
    errors: dict[str, str] = {}
    if not isinstance(applicant, dict):
        errors["applicant"] = _("Thiếu thông tin người nộp hồ sơ.")
        applicant = {}
    # As form data (not ``data=``): Optional() looks at the raw input, else a bad e-mail would skip validation.
    applicant_form = ApplicantForm(formdata=MultiDict(
        [(k, str(v)) for k, v in applicant.items() if k in APPLICANT_FIELDS and v is not None]))
    if not applicant_form.validate():
        errors.update(_field_messages(applicant_form, "applicant."))
    if not isinstance(data, dict):
        raise ServiceError(422, "invalid", _("Dữ liệu hồ sơ không hợp lệ."), {"data": _("Cần một đối tượng JSON.")})
    form = bind_form(procedure, unit, obj_data=data)
    form_ok = form.validate()
    if not form_ok:
        errors.update(_field_messages(form))
    for name, bound in form._fields.items():
        if name not in errors and not _storable_number(bound.data):
            errors[name] = _("Số không hợp lệ hoặc quá lớn.")
    clean = {name: (None if f.errors or name in errors else f.data) for name, f in form._fields.items()
             if name not in ("csrf_token", "submit")}
    issues = _rule_issues(unit, procedure, clean, on, complete=form_ok and not set(form._fields) & set(errors),
                          channel=channel)
    blocking = [i for i in issues if i.level == "error" and (i.field or "data") not in errors]
    extra = {k: v for k, v in (extra_errors or {}).items() if k not in errors}
    if errors or blocking or extra:
        fields = dict(errors)
        for issue in blocking:
            fields.setdefault(issue.field or "data", str(issue.message))
        fields.update(extra)
        if not errors and not extra:
            raise ServiceError(422, "rule_violation", str(blocking[0].message), fields)
        if not errors and not blocking and extra_code:
            raise ServiceError(422, extra_code, next(iter(extra.values())), fields)
        raise ServiceError(422, "invalid", _("Hồ sơ chưa hợp lệ: %(n)s mục cần sửa.", n=len(fields)), fields)
    applicant_clean = {k: applicant_form[k].data or "" for k in APPLICANT_FIELDS}
    return clean, form_to_data(form), applicant_clean, [i for i in issues if i.level != "error"]


def compute_fee(procedure: Procedure, unit: Unit, clean: dict, on, channel: str = "") -> int:
    if procedure.fee is None:
        return 0
    return int(procedure.fee(clean, rule_context(unit, procedure, on, channel)))


def dossier_processing_time(procedure: Procedure, unit: Unit, clean: dict, on, channel: str = "") -> ProcessingTime:
    """The version's time limit, unless the procedure sets this case's own (``Procedure.time_limit``)."""
    context = rule_context(unit, procedure, on, channel)
    own = procedure.time_limit(clean, context) if procedure.time_limit else None
    return own or procedure.version_at(on).processing_time


def preview_due_at(unit: Unit, procedure: Procedure, received_at: datetime) -> datetime:
    return compute_due_at(received_at, procedure_limit(procedure, local_date(received_at)), calendar_for(unit))


def _competent_unit(procedure: Procedure, data: dict, unit: Unit) -> Unit:
    slug = hooks_for(unit).route_dossier(procedure=procedure, data=data, receiving_unit=unit)
    if not slug:
        return unit
    target = get_unit_or_none(slug)
    if (target is None or not target.active or not is_enabled(target, procedure.plugin)
            or not same_jurisdiction(unit, target)):
        raise ServiceError(422, "no_competent_unit", _("Không xác định được đơn vị có thẩm quyền giải quyết."))
    return target


# Who acted when no officer did (an online submission, a rating): stored as is, in Vietnamese like all history.
CITIZEN = gettext_noop("Công dân")


def _event(dossier: Dossier, action: str, actor: User | None, now: datetime, from_status: str, note: str = "",
           payload: dict | None = None, from_unit_id=None, to_unit_id=None) -> DossierEvent:
    if action == "receive" and dossier.due_at is not None:  # the appointment as issued on Mẫu 01 (LAW-05)
        payload = {**(payload or {}), "due_at": iso(dossier.due_at)}
    event = DossierEvent(
        dossier=dossier, unit_id=dossier.competent_unit_id, at=now, action=action, from_status=from_status,
        to_status=dossier.status, actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else CITIZEN, note=note or "", payload=payload or {},
        from_unit_id=from_unit_id, to_unit_id=to_unit_id,
    )
    db.session.add(event)
    return event


def _after_event(dossier: Dossier, event: DossierEvent, citizen_facing: bool) -> None:
    db.session.flush()
    unit = db.session.get(Unit, dossier.competent_unit_id)
    for update in hooks_for(unit).on_dossier_event(dossier=dossier, event=event):
        if update:
            dossier.data = {**(dossier.data or {}), **{k: json_value(v) for k, v in update.items()}}
    if citizen_facing:
        notify_applicant(dossier, event)
    queue_for_event(dossier, event)  # the national portal learns of new dossiers and status changes (same transaction)


def record_event(dossier: Dossier, action: str, actor: User | None, now: datetime, note: str = "",
                 payload: dict | None = None, citizen_facing: bool = False) -> DossierEvent:
    """Write a history event that leaves the dossier's state as it is (an attached scan), with the plugins'
    ``on_dossier_event`` hooks and, if ``citizen_facing``, the applicant's notification, in the caller's transaction.

    For the modules of this package that keep their own rows beside the dossier (core.dossiers.attachments); state
    changes go through ``perform_action``.
    """
    event = _event(dossier, action, actor, now, dossier.status, note=note, payload=payload)
    _after_event(dossier, event, citizen_facing=citizen_facing)
    return event


def _start_clock(dossier: Dossier, unit: Unit, now: datetime) -> None:
    dossier.received_at = now
    dossier.due_at = compute_due_at(now, time_limit_of(dossier), calendar_for(unit))


def _ensure_procedure_row(procedure: Procedure) -> None:
    """The catalogue row a dossier refers to, mirrored in its own transaction: first receptions of a procedure that
    run at the same time race to insert it, and the loser must not fail the citizen's dossier."""
    if db.session.get(ProcedureRecord, procedure.key) is not None:
        return
    try:
        with write_transaction():
            ensure_procedure_row(procedure)
    except IntegrityError:
        pass  # another request mirrored the catalogue meanwhile (its rows are committed)


# What the reception desk decides about a dossier handed in: receive it (Mẫu 01), guide the applicant to complete it
# (Mẫu 02) or refuse it (Mẫu 03). Only "receive" is a reception: the other two start no clock and are not counted.
DECISIONS = ("receive", "guide", "refuse")
# Where the result is collected (Mẫu 01 item 6): at the desk, or sent by the public postal service.
RESULT_DELIVERY = ("desk", "postal")


@dataclass(frozen=True)
class Paper:
    """One paper of the checklist as checked at reception (stored as a ``DossierDocument`` row)."""

    name: str
    kind: str
    count: int
    required: bool
    provided: bool


def check_papers(procedure: Procedure, documents) -> tuple[list[Paper], dict[str, str]]:
    """The checklist from the names of the papers handed in (``None``: every required paper); errors by field.

    Names are the catalogue's (``required_documents``), compared without regard to case and spacing."""
    catalogue = list(procedure.required_documents)
    if documents is None:
        return [Paper(d.name, d.kind, d.count, d.is_required, d.is_required) for d in catalogue], {}
    if not isinstance(documents, list) or not all(isinstance(n, str) for n in documents):
        return [], {"documents": _("Ghi danh sách tên giấy tờ đã nộp (một danh sách chuỗi).")}

    def key(name: str) -> str:
        return " ".join(name.split()).casefold()

    known = {key(d.name) for d in catalogue}
    unknown = [n for n in documents if key(n) not in known]
    if unknown:
        return [], {"documents": _("Thủ tục này không có giấy tờ: %(names)s. Dùng đúng tên trong danh mục thủ tục.",
                                   names="; ".join(f"“{n}”" for n in unknown))}
    given = {key(n) for n in documents}
    return [Paper(d.name, d.kind, d.count, d.is_required, key(d.name) in given) for d in catalogue], {}


def _decision_errors(decision: str, papers: list[Paper], reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    missing = [p.name for p in papers if p.required and not p.provided]
    if decision == "receive" and missing:
        errors["documents"] = _("Hồ sơ còn thiếu: %(docs)s. Chọn “Hướng dẫn bổ sung (Mẫu 02)” để hướng dẫn người nộp "
                                "hoàn thiện hồ sơ.", docs="; ".join(map(translate, missing)))
    if decision == "guide" and papers and all(p.provided for p in papers):
        errors["documents"] = _("Bỏ chọn những giấy tờ còn thiếu để ghi vào phiếu hướng dẫn bổ sung.")
    if decision == "guide" and not reason:
        errors["reason"] = _("Ghi nội dung cần bổ sung, hoàn thiện.")
    if decision == "refuse" and not reason:
        errors["reason"] = _("Ghi lý do từ chối tiếp nhận.")
    return errors


def create_dossier(unit: Unit, procedure_key: str, channel: str, applicant: dict, data: dict, actor: User | None,
                   now: datetime | None = None, documents: list[str] | None = None, decision: str = "receive",
                   reason: str = "", result_delivery: str | None = None, residence_unit: str | None = None,
                   with_papers: Callable[[Dossier, datetime], None] | None = None) -> Outcome:
    """Receive (counter, postal) or submit (online) a dossier; ``documents`` names the papers handed in.
    ``with_papers(dossier, now)`` records the papers' scans sent with it (core.dossiers.papers.record_scans), in the
    same transaction.

    At the desk, ``decision`` "guide" (Mẫu 02) or "refuse" (Mẫu 03) records the dossier handed in without receiving
    it, in the same single transaction: no reception time, no due date, no tracking-book line, not counted as
    received. A guided dossier waits for its supplement; once complete it returns to "submitted", to be received."""
    now = now or utcnow()
    if unit is not None and unit.successor_id is not None:
        raise merged_unit_error(unit)
    procedure = get_procedure(procedure_key) if isinstance(procedure_key, str) else None  # JSON may send any type
    if procedure is None or unit is None or not unit.active or not is_enabled(unit, procedure.plugin):
        raise ServiceError(404, "procedure_not_offered", _("Đơn vị không cung cấp thủ tục này."))
    if channel not in CHANNELS:
        raise ServiceError(422, "invalid", _("Kênh nộp không hợp lệ."),
                           {"channel": _("Chọn một trong: counter, postal, online.")})
    if decision not in DECISIONS or (decision != "receive" and channel == "online"):
        raise ServiceError(422, "invalid", _("Quyết định tiếp nhận không hợp lệ."),
                           {"decision": _("Chọn một trong: receive, guide, refuse.")})
    if channel != "online":
        if actor is None:
            raise ServiceError(401, "unauthorized", _("Cần đăng nhập để tiếp nhận hồ sơ tại quầy hoặc qua bưu chính."))
        if not can(actor, "dossier.receive", unit):
            raise ServiceError(403, "forbidden", _("Bạn không có quyền tiếp nhận hồ sơ tại đơn vị này."))
    delivery = result_delivery or ("postal" if channel == "postal" else "desk")
    if delivery not in RESULT_DELIVERY:  # where the citizen collects the result: Mẫu 01 item 6 (LAW-13)
        raise ServiceError(422, "invalid", _("Nơi nhận kết quả không hợp lệ."),
                           {"result_delivery": _("Chọn một trong: desk, postal.")})
    on = local_date(now)
    reason = reason.strip() if isinstance(reason, str) else ""
    papers, errors = check_papers(procedure, documents)
    if not errors:
        errors = _decision_errors(decision, papers, reason)
    clean, stored, applicant_clean, warnings = validate_submission(
        unit, procedure, applicant, data, on, extra_errors=errors,
        extra_code="missing_documents" if decision == "receive" else "", channel=channel)
    competent = _competent_unit(procedure, clean, unit)
    handover = _residence_handover(unit, procedure, competent, residence_unit, channel, decision)
    version = procedure.version_at(on)
    pt = dossier_processing_time(procedure, unit, clean, on, channel)
    fee = compute_fee(procedure, unit, clean, on, channel)
    status = {"receive": "submitted" if channel == "online" else "received", "guide": "supplement_requested",
              "refuse": "refused"}[decision]
    if status == "received":
        calendar_for(unit)  # read now, outside the write transaction (cached for the request): _start_clock uses it
    with force_locale("vi"):  # the history is written in Vietnamese, whatever the language of the request
        payload = {"channel": channel, "result_delivery": delivery,
                   "warnings": [{"field": w.field, "message": str(w.message), "code": w.code} for w in warnings]}
    action, note = {"receive": ("submit" if channel == "online" else "receive", ""),
                    "guide": ("request_supplement", reason), "refuse": ("refuse", reason)}[decision]
    if decision == "guide":
        # Back to "submitted" once complete: the reception (and its clock) starts only then.
        payload.update(reason=reason, missing_documents=[p.name for p in papers if not p.provided],
                       resume_to="submitted", step="", at_desk=True, received_at=iso(now),
                       contact={"officer": actor.full_name, "unit": competent.name,
                                "phone": competent.phone or unit.phone or ""})
    elif decision == "refuse":
        payload.update(reason=reason, at_desk=True)
    if handover is not None:
        payload["residence_unit"] = handover.slug
    values = dict(
        receiving_unit_id=unit.id, competent_unit_id=competent.id,
        procedure_key=procedure.key, procedure_version=version.version, field=procedure.field,
        form_set=version.form_set, time_limit_value=pt.value, time_limit_unit=pt.unit,
        time_limit_cutoff=pt.cutoff.strftime("%H:%M") if pt.cutoff else "", channel=channel,
        status=status, step="",
        applicant_name=applicant_clean["full_name"], applicant_name_folded=fold(applicant_clean["full_name"]),
        applicant_id_number=applicant_clean["id_number"], applicant_phone=applicant_clean["phone"],
        applicant_address=applicant_clean["address"], applicant_email=applicant_clean["email"],
        data=stored, fee=fee, submitted_at=now, created_at=now, updated_at=now,
        finished_at=now if status == "refused" else None,
    )
    written = _Reception(unit, handover, actor, now, values, papers, action, note, payload, with_papers)
    try:
        dossier = written.write()
    except IntegrityError as exc:
        # The first reception of a procedure (its catalogue row is missing) or a code another unit's dossier already
        # has (core.dossiers.codes): both are rare, so they are looked for only once the dossier's INSERT was
        # refused. Nothing was written (the transaction rolled back, the number went back to the counter): mirror
        # the catalogue row if it is missing and write again, skipping numbers whose code is taken.
        if not _dossier_insert_refused(exc):
            raise
        _ensure_procedure_row(procedure)
        dossier = written.write(check_taken=True)
    return Outcome(dossier, warnings)


@dataclass
class _Reception:
    """The writing of a new dossier, in one transaction that may be run a second time (``create_dossier``)."""

    unit: Unit
    handover: Unit | None
    actor: User | None
    now: datetime
    values: dict
    papers: list
    action: str
    note: str
    payload: dict
    with_papers: Callable[[Dossier, datetime], None] | None

    def write(self, check_taken: bool = False) -> Dossier:
        unit, handover, actor, now = self.unit, self.handover, self.actor, self.now
        with write_transaction(keep_loaded=True):  # the 201 answers what was written, without reading it back
            dossier = Dossier(**self.values)
            dossier.documents = [DossierDocument(position=i, name=p.name, kind=p.kind, count=p.count,
                                                 required=p.required, provided=p.provided)
                                 for i, p in enumerate(self.papers)]
            if dossier.status == "received":
                _start_clock(dossier, unit, now)
            if dossier.channel != "online":
                # Read before the dossier joins the session: on SQLite the transaction's start expired the officer,
                # and reloading it inside the block would write the dossier early (autoflush).
                dossier.received_by_id = actor.id
            dossier.attachments = []  # a new dossier has none: known without asking the database
            # The day's counter row stays locked from here to the commit (concurrent receptions at this unit wait
            # for it), so the number is taken after every read and just before the writes.
            dossier.code = new_code(unit, now, check_taken=check_taken)
            dossier.just_created = True
            db.session.add(dossier)
            event = _event(dossier, self.action, actor, now, "", note=self.note, payload=dict(self.payload))
            _after_event(dossier, event, citizen_facing=True)
            if self.with_papers is not None:
                self.with_papers(dossier, now)
            if handover is not None:
                # Filing anywhere: the receiving commune hands the dossier over at once, as a transfer (liên thông).
                dossier.competent_unit_id = handover.id
                with force_locale("vi"):
                    note = _("Nộp không phụ thuộc địa giới hành chính: chuyển đến xã/phường nơi cư trú.")
                moved = _event(dossier, "transfer", actor, now, dossier.status, note=note,
                               payload={"to_unit": handover.slug, "file_anywhere": True}, from_unit_id=unit.id,
                               to_unit_id=handover.id)
                _after_event(dossier, moved, citizen_facing=True)
        return dossier


def _dossier_insert_refused(exc: IntegrityError) -> bool:
    """Whether the dossier's own INSERT was refused (its code, its procedure), not a later write of the reception
    (an idempotency key another request claimed, a plugin's row): only that one is worth writing again."""
    return (exc.statement or "").lstrip().startswith("INSERT INTO dossiers ")


def _residence_handover(unit: Unit, procedure: Procedure, competent: Unit, residence_unit, channel: str,
                        decision: str) -> Unit | None:
    """The commune a dossier filed here goes to because the applicant lives there (core.dossiers.anywhere); None
    when the procedure's own rule already chose the competent unit, or when the desk guides or refuses it."""
    if competent.id != unit.id or decision != "receive":
        return None
    try:
        return anywhere.residence_target(unit, procedure, residence_unit, channel)
    except anywhere.NotHere as exc:
        raise ServiceError(422, exc.code, str(exc), {"residence_unit": str(exc)}) from exc


# --- calendar changes ------------------------------------------------------------------------------------------------

# Where a dossier has a due moment that the calendar still moves.
_RESCHEDULABLE = (*workflow.CLOCK_STATES, "withdrawal_requested")


def reschedule_for_calendar_change(change, day, unit_id: int | None, actor_id: int | None, actor_name: str,
                                   now: datetime | None = None) -> list[str]:
    """Apply ``change`` (a callable writing the calendar row) and move the due moments of the open dossiers it
    affects, each with a "reschedule" history event and a notification to the applicant (LAW-08). Call it inside
    the caller's write transaction, so the calendar row and the dossiers change together. Returns the codes moved.

    The working time left from now (or from the start of a pause) to the due moment is kept: a day off added before
    the due date pushes it back by that day; a day already past changes nothing."""
    now = now or utcnow()
    forget_calendars()
    start = datetime.combine(day, time.min, tzinfo=VN_TZ)
    query = select(Dossier).where(Dossier.status.in_(_RESCHEDULABLE), Dossier.due_at.is_not(None),
                                  Dossier.due_at >= start)
    if unit_id is not None:  # a unit's own row changes that unit's calendar only (calendar_for)
        query = query.where(Dossier.receiving_unit_id == unit_id)
    candidates = list(db.session.scalars(query.order_by(Dossier.id)))
    before = {d.receiving_unit_id: calendar_for(d.receiving_unit) for d in candidates}
    change()
    db.session.flush()
    forget_calendars()
    moved = []
    for dossier in candidates:
        after = calendar_for(dossier.receiving_unit)
        anchor = dossier.paused_at or max(now, dossier.received_at or now)
        new_due = reschedule_due_at(dossier.due_at, anchor, before[dossier.receiving_unit_id], after,
                                    dossier.time_limit_unit)
        if new_due == dossier.due_at:
            continue
        previous = dossier.due_at
        dossier.due_at = new_due
        dossier.updated_at = now
        dossier.version = dossier.version + 1
        event = DossierEvent(
            dossier=dossier, unit_id=dossier.competent_unit_id, at=now, action="reschedule",
            from_status=dossier.status, to_status=dossier.status, actor_id=actor_id, actor_name=actor_name,
            note="", payload={"day": day.isoformat(), "previous_due_at": iso(previous), "new_due_at": iso(new_due)})
        db.session.add(event)
        _after_event(dossier, event, citizen_facing=True)
        moved.append(dossier.code)
    return moved


# --- reading ---------------------------------------------------------------------------------------------------------


def may_view(user, dossier: Dossier) -> bool:
    return can(user, "dossier.view", dossier.receiving_unit_id) or can(user, "dossier.view", dossier.competent_unit_id)


def get_for_user(user, code: str) -> Dossier:
    """The dossier if ``user`` may see it; otherwise 404 (never reveal that a code exists elsewhere)."""
    dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
    if dossier is None or not may_view(user, dossier):
        raise ServiceError(404, "not_found", _("Không tìm thấy hồ sơ."))
    return dossier


def _role_ok(user, action: workflow.Action, dossier: Dossier) -> bool:
    if "citizen" in action.roles:  # the applicant, through the public tracking; never an officer's account
        return user is None
    if user is None:
        return False
    units = [dossier.competent_unit_id]
    if action.where_in(dossier.status) == "either":
        units.append(dossier.receiving_unit_id)
    if action.name == "receive":
        units = [dossier.receiving_unit_id]
    receiving = dossier.receiving_unit
    if receiving is not None and receiving.successor_id is not None and receiving.id in units:
        units.append(receiving.successor_id)  # the desk of a merged unit is its successor's (core.merging.merge)
    return any(roles_over(user, u) & action.roles_in(dossier.status) for u in units)


RECEPTION_STATES = ("submitted", "received")


def supplement_used(dossier: Dossier) -> bool:
    """Whether the one supplement request of the dossier's current phase was made: one at reception (submitted or
    received) and one during processing (Decree 61/2018 guides "một lần" at the desk; the once-only rule while
    processing was already enforced through ``supplement_count``)."""
    if dossier.status == "in_progress":
        return dossier.supplement_count >= 1
    if dossier.status in RECEPTION_STATES and "events" in dossier.__dict__:  # the history is loaded: no query
        return any(e.action == "request_supplement" and e.from_status in RECEPTION_STATES for e in dossier.events)
    if dossier.status in RECEPTION_STATES and dossier.id is not None:
        return db.session.scalar(select(DossierEvent.id).where(
            DossierEvent.dossier_id == dossier.id, DossierEvent.action == "request_supplement",
            DossierEvent.from_status.in_(RECEPTION_STATES)).limit(1)) is not None
    return False


def allowed_actions(user, dossier: Dossier) -> list[str]:
    if user is None:
        return []
    names = []
    for action in workflow.ACTIONS.values():
        if workflow.action_applies(action, dossier.status, dossier.step) and _role_ok(user, action, dossier):
            if action.name == "request_supplement" and supplement_used(dossier):
                continue
            names.append(action.name)
    return names


# --- actions ---------------------------------------------------------------------------------------------------------


def _required_text(arguments: dict, name: str, errors: dict) -> str:
    value = arguments.get(name)
    if not isinstance(value, str) or not value.strip():
        errors[name] = _("Trường này là bắt buộc.")
        return ""
    return value.strip()


def _parse_moment(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=VN_TZ) if moment.tzinfo is None else moment


# Packages above this one that must act inside an action's own transaction (core.results signs the e-results of an
# approval): an exception rolls the whole action back, so nothing is left half done.
_action_listeners: list[Callable[..., None]] = []


def on_action(listener: Callable[..., None]) -> None:
    """Call ``listener(user, dossier, event, now)`` after every workflow action, inside its transaction (once per
    function, however many applications register it)."""
    if listener not in _action_listeners:
        _action_listeners.append(listener)


def perform_action(user, dossier: Dossier, action_name: str, arguments: dict | None = None,
                   expected_version: int | None = None, now: datetime | None = None) -> Dossier:
    """Apply a workflow action for ``user`` (see workflow.ACTIONS)."""
    now = now or utcnow()
    arguments = arguments or {}
    action = workflow.ACTIONS.get(action_name) if isinstance(action_name, str) else None  # JSON may send any type
    if action is None:
        raise ServiceError(422, "unknown_action", _("Thao tác không hợp lệ."),
                           {"action": _("Thao tác không tồn tại.")}, allowed_actions=allowed_actions(user, dossier))
    if not workflow.action_applies(action, dossier.status, dossier.step):
        raise ServiceError(409, "invalid_transition",
                           _("Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ."),
                           allowed_actions=allowed_actions(user, dossier))
    if not _role_ok(user, action, dossier):
        raise ServiceError(403, "forbidden", _("Vai trò của bạn không được thực hiện thao tác này."))
    _check_version(dossier, expected_version)  # early, so a stale page is not answered with field errors
    apply = _APPLY[action.name]
    prepared = apply.prepare(user, dossier, arguments, now)
    competent = db.session.get(Unit, dossier.competent_unit_id)
    for veto in hooks_for(competent).check_transition(dossier=dossier, action=action.name, actor=user,
                                                      arguments=arguments, now=now):
        if isinstance(veto, Veto):
            raise ServiceError(409, veto.code, veto.message, allowed_actions=allowed_actions(user, dossier))
    try:
        with write_transaction():
            dossier = db.session.merge(dossier)
            _check_version(dossier, expected_version)  # again on the row read in this transaction
            if not workflow.action_applies(action, dossier.status, dossier.step):
                raise ServiceError(409, "invalid_transition",
                                   _("Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ."),
                                   allowed_actions=allowed_actions(user, dossier))
            from_status, from_unit = dossier.status, dossier.competent_unit_id
            note, payload = apply.run(user, dossier, prepared, now)
            dossier.updated_at = now
            dossier.version = dossier.version + 1
            event = _event(dossier, action.name, user, now, from_status, note=note, payload=payload,
                           from_unit_id=from_unit if action.name == "transfer" else None,
                           to_unit_id=dossier.competent_unit_id if action.name == "transfer" else None)
            _after_event(dossier, event, action.citizen_facing)
            for listener in _action_listeners:
                listener(user, dossier, event, now)
    except StaleDataError as exc:
        # A concurrent writer committed between our read and our update (optimistic locking): the same refusal.
        current = db.session.scalar(select(Dossier.version).where(Dossier.id == dossier.id))
        raise _stale_version(current) from exc
    return dossier


def _check_version(dossier: Dossier, expected_version: int | None) -> None:
    """The one ``stale_version`` refusal: the page or client acted on an older version of the dossier."""
    if expected_version is not None and expected_version != dossier.version:
        raise _stale_version(dossier.version)


def _stale_version(current_version: int | None) -> ServiceError:
    return ServiceError(409, "stale_version",
                        _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang rồi thử lại."),
                        current_version=current_version)


@dataclass(frozen=True)
class _Apply:
    prepare: Callable[..., object]  # (user, dossier, arguments, now) -> prepared values; raises 422 on bad arguments
    run: Callable[..., tuple[str, dict]]  # (user, dossier, prepared, now) -> (note, payload)


def _no_args(user, dossier, arguments, now):
    return {"note": str(arguments.get("note") or "")}


def _pause(dossier: Dossier, now: datetime) -> None:
    if dossier.received_at is not None and dossier.paused_at is None:
        dossier.paused_at = now


def _resume(dossier: Dossier, now: datetime) -> int:
    """Restart the clock; returns the working minutes the due moment moved by."""
    if dossier.paused_at is None or dossier.due_at is None:
        dossier.paused_at = None
        return 0
    calendar = calendar_for(dossier.receiving_unit)
    before = dossier.due_at
    if dossier.paused_at < dossier.due_at:
        dossier.due_at = resume_due_at(dossier.due_at, dossier.paused_at, now, calendar, dossier.time_limit_unit)
    dossier.paused_at = None
    return round(calendar.working_minutes_between(before, dossier.due_at))


def _run_receive(user, dossier, prepared, now):
    dossier.status = "received"
    dossier.received_by_id = user.id
    _start_clock(dossier, dossier.receiving_unit, now)
    return prepared["note"], {}


def _prep_reason(user, dossier, arguments, now):
    errors = {}
    reason = _required_text(arguments, "reason", errors)
    if errors:
        raise ServiceError(422, "invalid", _("Vui lòng nêu lý do."), errors)
    return {"reason": reason}


def _run_refuse(user, dossier, prepared, now):
    stage = "processing" if dossier.status == "in_progress" else "reception"
    dossier.status = "rejected" if stage == "processing" else "refused"
    dossier.step = ""
    dossier.finished_at = now
    dossier.paused_at = None
    return prepared["reason"], {"reason": prepared["reason"], "stage": stage}


def _prep_assign(user, dossier, arguments, now):
    username = arguments.get("assignee")
    assignee = db.session.scalar(select(User).where(User.username == username)) if isinstance(username, str) else None
    if assignee is None or not assignee.active or not can(assignee, "dossier.process", dossier.competent_unit_id):
        raise ServiceError(422, "invalid", _("Người được giao phải là chuyên viên của đơn vị giải quyết."),
                           {"assignee": _("Chọn một chuyên viên của đơn vị giải quyết.")})
    return {"assignee": assignee, "note": str(arguments.get("note") or "")}


def _run_assign(user, dossier, prepared, now):
    dossier.status, dossier.step, dossier.assignee_id = "in_progress", "assigned", prepared["assignee"].id
    return prepared["note"], {"assignee": prepared["assignee"].username,
                              "assignee_name": prepared["assignee"].full_name}


def _prep_supplement(user, dossier, arguments, now):
    errors = {}
    reason = _required_text(arguments, "reason", errors)
    missing = arguments.get("missing_documents")
    if not isinstance(missing, list) or not [m for m in missing if isinstance(m, str) and m.strip()]:
        errors["missing_documents"] = _("Liệt kê ít nhất một giấy tờ cần bổ sung.")
    if errors:
        raise ServiceError(422, "invalid", _("Yêu cầu bổ sung chưa đủ thông tin."), errors)
    # Guidance at the desk (submitted/received) is not the one supplement request allowed during processing.
    if supplement_used(dossier):
        if dossier.status == "in_progress":
            message = _("Trong quá trình giải quyết chỉ được yêu cầu bổ sung hồ sơ một lần.")
        else:
            message = _("Khi tiếp nhận chỉ được hướng dẫn bổ sung hồ sơ một lần.")
        raise ServiceError(409, "supplement_once", message)
    return {"reason": reason, "missing": [m.strip() for m in missing if isinstance(m, str) and m.strip()]}


def supplement_contact(user, dossier: Dossier) -> dict:
    """Who the citizen asks about a supplement, as Mẫu 02 names them: the officer, the handling unit and its phone."""
    unit = db.session.get(Unit, dossier.competent_unit_id)
    return {"officer": user.full_name if user else "", "unit": unit.name,
            "phone": unit.phone or dossier.receiving_unit.phone or ""}


def _run_supplement(user, dossier, prepared, now):
    resume_to = dossier.status  # submitted, received or in_progress: the state the complete dossier returns to
    if dossier.status == "in_progress":
        dossier.supplement_count += 1
    if dossier.status != "submitted":
        _pause(dossier, now)
    # The reception time and the contact as printed on Mẫu 02 when issued: a reprint must not show later values.
    shown_received = iso(dossier.received_at or dossier.submitted_at)
    dossier.status = "supplement_requested"
    return prepared["reason"], {"reason": prepared["reason"], "missing_documents": prepared["missing"],
                                "resume_to": resume_to, "step": dossier.step, "received_at": shown_received,
                                "contact": supplement_contact(user, dossier)}


def _run_supplement_received(user, dossier, prepared, now):
    last = db.session.scalar(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id,
                                                        DossierEvent.action == "request_supplement")
                             .order_by(DossierEvent.id.desc()))
    resume_to = (last.payload or {}).get("resume_to", "in_progress") if last else "in_progress"
    previous_due = dossier.due_at
    brought = set((last.payload or {}).get("missing_documents", [])) if last else set()
    for paper in dossier.documents:  # the papers asked for are handed in with the supplement
        if paper.name in brought:
            paper.provided = True
    moved = _resume(dossier, now)
    dossier.status = resume_to
    if resume_to == "in_progress" and not dossier.step:
        dossier.step = "assigned" if dossier.assignee_id else ""
    # The new appointment is kept apart from the one issued on Mẫu 01 (LAW-05) and sent to the citizen.
    return prepared["note"], {"due_moved_minutes": moved, "previous_due_at": iso(previous_due),
                              "new_due_at": iso(dossier.due_at)}


def _prep_payment(user, dossier, arguments, now):
    amount = arguments.get("amount")
    if (isinstance(amount, bool) or not isinstance(amount, (int, float)) or not 0 <= amount <= MAX_AMOUNT
            or int(amount) != amount):
        raise ServiceError(422, "invalid", _("Số tiền không hợp lệ."),
                           {"amount": _("Nhập số tiền (đồng), là số nguyên không âm.")})
    return {"amount": int(amount), "note": str(arguments.get("note") or "")}


def _run_payment(user, dossier, prepared, now):
    dossier.status = "awaiting_payment"
    _pause(dossier, now)
    return prepared["note"], {"amount": prepared["amount"]}


def _run_payment_received(user, dossier, prepared, now):
    moved = _resume(dossier, now)
    dossier.status = "in_progress"
    return prepared["note"], {"due_moved_minutes": moved}


def _prep_transfer(user, dossier, arguments, now):
    target = get_unit_or_none(arguments.get("to_unit") if isinstance(arguments.get("to_unit"), str) else "")
    procedure = get_procedure(dossier.procedure_key)
    if (target is None or not target.active or target.id == dossier.competent_unit_id or procedure is None
            or not is_enabled(target, procedure.plugin) or not same_jurisdiction(dossier.competent_unit, target)):
        raise ServiceError(422, "invalid", _("Đơn vị nhận liên thông không hợp lệ."),
                           {"to_unit": _("Chọn một đơn vị đang hoạt động có giải quyết thủ tục này.")})
    return {"target": target, "note": str(arguments.get("note") or "")}


def _run_transfer(user, dossier, prepared, now):
    dossier.competent_unit_id = prepared["target"].id
    dossier.status, dossier.step, dossier.assignee_id = "in_progress", "transferred", None
    return prepared["note"], {"to_unit": prepared["target"].slug}


def _prep_step(user, dossier, arguments, now):
    procedure = get_procedure(dossier.procedure_key)
    steps = {s.key for s in (procedure.steps if procedure else ())}
    step = arguments.get("step")
    if step not in steps:
        raise ServiceError(422, "invalid", _("Bước xử lý không hợp lệ cho thủ tục này."),
                           {"step": _("Chọn một bước của thủ tục.")})
    return {"step": step, "note": str(arguments.get("note") or "")}


def _run_step(user, dossier, prepared, now):
    return prepared["note"], {"step": prepared["step"]}


def _run_submit(user, dossier, prepared, now):
    dossier.step = "pending_approval"
    return prepared["note"], {}


def _run_approve(user, dossier, prepared, now):
    dossier.status, dossier.step = "result_ready", ""
    dossier.finished_at = now
    dossier.completion = classify_completion(now, dossier.due_at) if dossier.due_at else ""
    return prepared["note"], {"completion": dossier.completion}


def _run_send_back(user, dossier, prepared, now):
    dossier.step = "assigned"
    return prepared["reason"], {"reason": prepared["reason"]}


def _prep_apologize(user, dossier, arguments, now):
    errors = {}
    reason = _required_text(arguments, "reason", errors)
    new_due = _parse_moment(arguments.get("new_due_at"))
    appointment = dossier.extended_due_at or dossier.due_at
    if new_due is None or new_due.year > 2100:  # beyond, storing it in UTC could overflow
        errors["new_due_at"] = _("Ngày hẹn mới không hợp lệ (ISO 8601, ví dụ 2026-12-01T16:00).")
    elif appointment is not None and new_due <= appointment:
        errors["new_due_at"] = _("Ngày hẹn mới phải sau ngày hẹn hiện tại.")
    if errors:
        raise ServiceError(422, "invalid", _("Văn bản xin lỗi chưa đủ thông tin."), errors)
    # At least one day before the day the appointment falls due (Decree 61/2018 on overdue dossiers: "chậm nhất
    # 01 ngày trước ngày hết hạn"; see docs/decisions.md, LAW-06): on the due day itself it is too late, unless the
    # clock only started (or resumed) that day, as for same-day procedures: then up to the due moment.
    if appointment is not None and (now > appointment or (
            local_date(now) >= local_date(appointment) and not _clock_started_on(dossier, local_date(appointment)))):
        raise ServiceError(409, "deadline_passed",
                           _("Văn bản xin lỗi và hẹn lại phải gửi chậm nhất 01 ngày trước ngày hết hạn giải quyết."))
    return {"reason": reason, "new_due_at": new_due}


def _clock_started_on(dossier: Dossier, day) -> bool:
    """Whether the dossier's clock last started (reception, or the end of a pause) on ``day``."""
    started = dossier.received_at
    resumed = db.session.scalar(select(DossierEvent.at).where(
        DossierEvent.dossier_id == dossier.id, DossierEvent.action.in_(("supplement_received", "payment_received")))
        .order_by(DossierEvent.id.desc()).limit(1)) if dossier.id is not None else None
    if resumed is not None and (started is None or resumed > started):
        started = resumed
    return started is not None and local_date(started) == day


def _run_apologize(user, dossier, prepared, now):
    previous = dossier.extended_due_at or dossier.due_at
    dossier.extended_due_at = prepared["new_due_at"]
    return prepared["reason"], {"reason": prepared["reason"], "new_due_at": iso(prepared["new_due_at"]),
                                "previous_due_at": iso(previous)}


def _run_request_withdrawal(user, dossier, prepared, now):
    previous = dossier.status
    dossier.status = "withdrawal_requested"
    return prepared["reason"], {"reason": prepared["reason"], "previous_status": previous}


def _run_withdraw(user, dossier, prepared, now):
    dossier.status, dossier.step = "stopped", ""
    dossier.finished_at = now
    dossier.paused_at = None
    return prepared["note"], {}


def _prep_return(user, dossier, arguments, now):
    errors = {}
    received_by = _required_text(arguments, "received_by", errors)
    if errors:
        raise ServiceError(422, "invalid", _("Ghi rõ người nhận kết quả."), errors)
    return {"received_by": received_by, "note": str(arguments.get("note") or "")}


def _run_return(user, dossier, prepared, now):
    dossier.status = "returned"
    dossier.returned_at = now
    return prepared["note"], {"received_by": prepared["received_by"]}


_APPLY: dict[str, _Apply] = {
    "receive": _Apply(_no_args, _run_receive),
    "refuse": _Apply(_prep_reason, _run_refuse),
    "assign": _Apply(_prep_assign, _run_assign),
    "request_supplement": _Apply(_prep_supplement, _run_supplement),
    "supplement_received": _Apply(_no_args, _run_supplement_received),
    "request_payment": _Apply(_prep_payment, _run_payment),
    "payment_received": _Apply(_no_args, _run_payment_received),
    "transfer": _Apply(_prep_transfer, _run_transfer),
    "record_step": _Apply(_prep_step, _run_step),
    "submit_for_approval": _Apply(_no_args, _run_submit),
    "approve": _Apply(_no_args, _run_approve),
    "send_back": _Apply(_prep_reason, _run_send_back),
    "apologize": _Apply(_prep_apologize, _run_apologize),
    "request_withdrawal": _Apply(_prep_reason, _run_request_withdrawal),
    "withdraw": _Apply(_no_args, _run_withdraw),
    "return_result": _Apply(_prep_return, _run_return),
}


# --- merged units (the 2025 reform, core.merging.merge) ---------------------------------------------------------------

# Finished where they were decided: these stay with a merged unit; every other dossier moves to its successor.
STAYS_AT_MERGED_UNIT = ("returned", "refused", "rejected", "stopped")
# Who acted when a unit's merge moved its dossiers from the command line (stored as is, like all history).
SYSTEM = gettext_noop("Hệ thống (sắp xếp đơn vị hành chính)")


def merged_unit_error(unit: Unit) -> ServiceError:
    """409 ``unit_merged``: a merged unit receives nothing; the answer names where to file instead."""
    successor = unit.successor
    return ServiceError(409, "unit_merged",
                        _("%(unit)s đã được sáp nhập vào %(successor)s: vui lòng nộp hồ sơ tại %(successor)s.",
                          unit=unit.name, successor=successor.name),
                        successor=successor.slug)


def move_to_successor(dossier: Dossier, old: Unit, new: Unit, actor: User | None, now: datetime) -> None:
    """Hand an open dossier of the merged unit ``old`` to its successor ``new`` with a ``unit_merged`` history row.

    Its code, clock and due dates are unchanged (the law's time limit runs on across the reorganisation). A dossier
    never received (an online submission, a dossier guided at the desk) also changes desk: its reception, counted
    where it happens, will be the successor's. The caller holds the transaction (one per merged unit)."""
    from_unit, to_unit = dossier.competent_unit_id, new.id
    dossier.competent_unit_id = new.id
    if dossier.received_at is None and dossier.receiving_unit_id == old.id:
        dossier.receiving_unit_id = new.id
        # Never received, never counted: no hand-over for the reports either (the units are in the payload).
        from_unit = to_unit = None
    dossier.updated_at = now
    dossier.version = dossier.version + 1
    event = DossierEvent(
        dossier=dossier, unit_id=new.id, at=now, action="unit_merged", from_status=dossier.status,
        to_status=dossier.status, actor_id=actor.id if actor else None,
        actor_name=actor.full_name if actor else SYSTEM,
        payload={"from_unit": old.slug, "to_unit": new.slug,
                 "merged_on": old.merged_on.isoformat() if old.merged_on else None},
        from_unit_id=from_unit, to_unit_id=to_unit,
    )
    db.session.add(event)
    _after_event(dossier, event, citizen_facing=False)
