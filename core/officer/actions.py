"""One small form per workflow action on the dossier page, built from ``workflow.ACTIONS``.

The forms only collect the arguments; ``services.perform_action`` checks them (one source of rules) and its per-field
messages are put back beside the fields. Field ids are prefixed with the action name so the many forms of one page
never share an id.
"""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, Form, SelectField, StringField, TextAreaField

from core.dossiers import workflow
from core.dossiers.models import Dossier
from core.extensions import db
from core.formatting import number
from core.officer.common import MultiCheckboxField, Required
from core.plugins.manager import get_procedure
from core.plugins.types import translate
from core.tenancy.models import Unit, UnitPlugin
from core.tenancy.services import ancestor_ids, designated_office, same_jurisdiction
from core.users.models import Membership, User

ROLE_LABELS = {"reception": _l("Tiếp nhận"), "specialist": _l("Chuyên viên"), "leader": _l("Lãnh đạo"),
               "unit_admin": _l("Quản trị đơn vị"), "district_admin": _l("Quản trị cấp tỉnh, huyện"),
               "auditor": _l("Kiểm tra")}

# Actions whose result is an official paper to print at once (document key of core.documents).
DOCUMENT_AFTER = {"receive": "receipt", "refuse": "refusal", "request_supplement": "supplement_request",
                  "apologize": "apology", "withdraw": "stop_notice"}



def document_after(action: str, from_status: str) -> str | None:
    """The paper to print after ``action`` taken from ``from_status`` (a refusal while processing: the written
    refusal, not the counter's Mẫu 03)."""
    if action == "refuse" and from_status == "in_progress":
        return "refusal_notice"
    return DOCUMENT_AFTER.get(action)


# Buttons that need a second thought are shown last and styled as warnings.
CAUTION = {"refuse", "withdraw", "send_back"}

# Where a dossier ends without a result: such an action needs the officer to tick a confirmation box first (no
# script needed, so it works under a strict Content-Security-Policy).
FINAL_WITHOUT_RESULT = frozenset({"refused", "rejected", "stopped"})
# Signing the result: the leader ticks that they read the draft (shown beside the button) before approving (DAY-04).
CONFIRM_SIGNING = frozenset({"approve"})

# The one action each role is expected to take next, best first: it is shown expanded as the page's main button;
# every other action is folded away. Roles are tried from the most senior one the user holds.
PRIMARY_BY_ROLE = (
    ("leader", ("approve", "assign", "transfer")),
    ("specialist", ("submit_for_approval", "supplement_received", "payment_received", "transfer")),
    ("reception", ("receive", "return_result", "supplement_received", "payment_received", "assign", "transfer")),
)

# The order of the action forms on the dossier page: the usual next step first.
ORDER = ("receive", "assign", "submit_for_approval", "approve", "return_result", "supplement_received",
         "payment_received", "record_step", "request_supplement", "request_payment", "transfer", "apologize",
         "send_back", "refuse", "withdraw")


def ordered(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))


def needs_confirmation(action_name: str) -> bool:
    """Whether the action ends the dossier without a result (refusal, stop), so the page asks to confirm it."""
    action = workflow.ACTIONS.get(action_name)
    return action is not None and (action.target in FINAL_WITHOUT_RESULT or action_name.startswith("refuse"))


def is_caution(action_name: str) -> bool:
    return action_name in CAUTION or needs_confirmation(action_name)


def primary_action(roles: set[str], names: list[str]) -> str | None:
    """The action to show as the page's main button for a user holding ``roles``; None when only cautious ones are
    left (those are never offered as the obvious next step)."""
    for role, preferred in PRIMARY_BY_ROLE:
        if role in roles:
            found = next((n for n in preferred if n in names), None)
            if found:
                return found
    return next((n for n in ordered(names) if not is_caution(n)), None)


def assignee_choices(dossier: Dossier) -> list[tuple[str, str]]:
    """Active specialists and leaders of the competent unit (or of a unit above it)."""
    chain = ancestor_ids(dossier.competent_unit_id)
    rows = db.session.execute(
        select(User.username, User.full_name, Membership.role).join(Membership)
        .where(Membership.unit_id.in_(chain), Membership.role.in_(("specialist", "leader")), User.active.is_(True))
        .order_by(Membership.role.desc(), User.full_name)
    ).all()
    seen, choices = set(), []
    for username, full_name, role in rows:
        if username not in seen:
            seen.add(username)
            choices.append((username, f"{full_name} — {ROLE_LABELS[role]}"))
    return choices


def transfer_choices(dossier: Dossier) -> list[tuple[str, str]]:
    """Active units that enable the dossier's plugin, the designated office of its kind first."""
    procedure = get_procedure(dossier.procedure_key)
    if procedure is None:
        return []
    units = db.session.scalars(
        select(Unit).join(UnitPlugin).where(UnitPlugin.plugin == procedure.plugin, UnitPlugin.enabled.is_(True),
                                            Unit.active.is_(True), Unit.id != dossier.competent_unit_id)
        .order_by(Unit.kind.desc(), Unit.name)
    ).all()
    preferred = None
    if procedure.transfer_to_kind:
        office = designated_office(dossier.competent_unit, procedure.transfer_to_kind)
        preferred = office.slug if office is not None else None
    choices = [(u.slug, u.name) for u in units if same_jurisdiction(dossier.competent_unit, u)]
    choices.sort(key=lambda c: c[0] != preferred)
    return choices


def _argument_fields(action: workflow.Action, dossier: Dossier) -> dict:
    procedure = get_procedure(dossier.procedure_key)
    fields: dict = {}
    for name in action.arguments:
        if name == "reason":
            fields["reason"] = TextAreaField(_l("Lý do"), [Required()], render_kw={"rows": 3})
        elif name == "assignee":
            fields["assignee"] = SelectField(_l("Giao cho cán bộ"), [Required()],
                                             choices=[("", _l("— Chọn cán bộ —"))] + assignee_choices(dossier))
        elif name == "missing_documents":
            # The value stays the official name (it goes on the printed Mẫu 02); the label is in the reader's language.
            documents = [(d.name, translate(d.name)) for d in (procedure.required_documents if procedure else ())]
            if documents:
                fields["missing_documents"] = MultiCheckboxField(_l("Giấy tờ cần bổ sung"), choices=documents)
            fields["missing_other"] = TextAreaField(_l("Giấy tờ khác cần bổ sung (mỗi dòng một giấy tờ)"),
                                                    render_kw={"rows": 2})
        elif name == "amount":
            fields["amount"] = StringField(_l("Số tiền (đồng)"), [Required()], render_kw={"inputmode": "numeric"})
        elif name == "to_unit":
            fields["to_unit"] = SelectField(_l("Chuyển đến đơn vị"), [Required()],
                                            choices=[("", _l("— Chọn đơn vị —"))] + transfer_choices(dossier))
        elif name == "new_due_at":
            fields["new_due_at"] = StringField(_l("Ngày giờ hẹn trả mới"), [Required()],
                                               render_kw={"type": "datetime-local"})
        elif name == "received_by":
            fields["received_by"] = StringField(_l("Người nhận kết quả"), [Required()],
                                                default=dossier.applicant_name)
        elif name == "step":
            fields["step"] = SelectField(_l("Bước xử lý"), [Required()],
                                         choices=[("", _l("— Chọn bước —"))] + step_choices(procedure))
    if "reason" not in fields:
        fields["note"] = TextAreaField(_l("Ghi chú (không bắt buộc)"), render_kw={"rows": 2})
    if needs_confirmation(action.name):
        fields["confirm"] = BooleanField(_l("Tôi đã kiểm tra và xác nhận thực hiện thao tác này"), [Required()])
    elif action.name in CONFIRM_SIGNING:
        fields["confirm"] = BooleanField(_l("Tôi đã xem dự thảo kết quả và xác nhận phê duyệt, ký"), [Required()])
    return fields


def step_choices(procedure) -> list[tuple[str, str]]:
    """The procedure's own steps an officer may record (none for most procedures)."""
    return [(s.key, translate(s.label)) for s in (procedure.steps if procedure else ())]


def offered_on_page(name: str, dossier: Dossier) -> bool:
    """Whether the dossier page shows the action's form: recording a step makes sense only when the procedure has
    steps to record."""
    if name == "record_step":
        return bool(step_choices(get_procedure(dossier.procedure_key)))
    return True


def confirmation_missing(form: Form) -> bool:
    """True (and the message put beside the box) when a final action's confirmation box was left unticked."""
    field = form._fields.get("confirm")
    if field is None or field.data:
        return False
    field.errors = [_("Đánh dấu ô xác nhận để thực hiện: %(action)s.", action=str(form.action.label))]
    # Every mistake in one pass: an empty required text (the reason) is reported with the missing confirmation.
    for other in form:
        if other is not field and other.flags.required and isinstance(other.data, str) and not other.data.strip():
            other.errors = [_("Trường này là bắt buộc.")]
    return True


def action_form(action_name: str, dossier: Dossier, formdata=None) -> Form:
    """The form of one action, bound to ``formdata`` (a failed post) or showing its defaults."""
    action = workflow.ACTIONS[action_name]
    cls = type(f"{action_name.title().replace('_', '')}Form", (Form,), _argument_fields(action, dossier))
    form = cls(formdata=formdata, prefix=action_name)
    # The page shows the label of the stage the dossier is in (refuse: at the counter or after examination).
    form.action = replace(action, label=action.label_in(dossier.status))
    return form


def action_arguments(form: Form) -> dict:
    """The service's ``arguments`` from a bound action form."""
    arguments: dict = {}
    for name, field in form._fields.items():
        value = field.data
        if name in ("missing_other", "missing_documents", "confirm"):
            continue
        if name == "amount":
            text = (value or "").replace(".", "").replace(",", "").replace(" ", "").strip()
            arguments["amount"] = int(text) if text.isascii() and text.isdigit() else (value or None)
            continue
        arguments[name] = value.strip() if isinstance(value, str) else value
    if "missing_other" in form._fields:
        chosen = list(form._fields["missing_documents"].data or []) if "missing_documents" in form._fields else []
        other = [line.strip() for line in (form._fields["missing_other"].data or "").splitlines() if line.strip()]
        arguments["missing_documents"] = chosen + other
    return arguments


def put_action_errors(form: Form, fields: dict) -> list[str]:
    """Place a service's per-field messages on the action form; return the rest."""
    left = []
    for key, message in (fields or {}).items():
        if key == "missing_documents":
            key = "missing_other"
        target = form._fields.get(key)
        if target is not None:
            target.errors = list(target.errors or []) + [str(message)]
        else:
            left.append(str(message))
    return left


def event_details(event) -> list[str]:
    """Plain lines about an event's payload for the timeline."""
    payload = event.payload or {}
    lines = []
    if payload.get("assignee_name"):
        lines.append(_("Giao cho: %(name)s", name=payload["assignee_name"]))
    if payload.get("missing_documents"):
        lines.append(_("Giấy tờ cần bổ sung: %(docs)s", docs=", ".join(map(translate, payload["missing_documents"]))))
    if payload.get("to_unit"):
        unit = db.session.scalar(select(Unit).where(Unit.slug == payload["to_unit"]))
        lines.append(_("Chuyển đến: %(unit)s", unit=unit.name if unit else payload["to_unit"]))
    if "amount" in payload:
        lines.append(_("Số tiền: %(amount)s đồng", amount=number(payload["amount"])))
    if payload.get("received_by"):
        lines.append(_("Người nhận: %(name)s", name=payload["received_by"]))
    if payload.get("step") and event.action == "record_step":
        lines.append(_("Bước: %(step)s", step=step_label(event.dossier.procedure_key, payload["step"])))
    for warning in payload.get("warnings") or []:
        lines.append(_("Lưu ý: %(message)s", message=warning.get("message", "")))
    return lines


def step_label(procedure_key: str, step: str) -> str:
    """The label of a procedure's own step in the reader's language; the key itself when the step is unknown."""
    procedure = get_procedure(procedure_key)
    found = next((s for s in (procedure.steps if procedure else ()) if s.key == step), None)
    return translate(found.label) if found else step


def event_label(action: str, from_status: str = "") -> str:
    if action == "submit":
        return _("Nộp hồ sơ trực tuyến")
    if action == "attach":
        return _("Đính kèm tệp")
    if action == "digitize":
        return _("Số hóa giấy tờ")
    if action == "upload_document":
        return _("Công dân nộp giấy tờ trực tuyến")
    if action == "reschedule":
        return _("Tính lại hạn giải quyết theo lịch làm việc mới")
    return workflow.event_label(action, from_status)
