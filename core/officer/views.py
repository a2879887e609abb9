"""Officer pages under /<unit_slug>/: queues, the counter, the dossier page, search and the unit switcher.

Each handler loads the unit, checks the user's role over it, then reads through ``core.dossiers.queries`` or changes
a dossier through ``core.dossiers.services`` only.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import Form, SelectField, TextAreaField

from core.catalog.services import procedure_fee_text
from core.db_types import utcnow
from core.dossiers import queries, services, workflow
from core.dossiers.calendar import calendar_for
from core.dossiers.models import Dossier
from core.extensions import db
from core.formatting import days_text, processing_time_text
from core.officer import actions as action_forms
from core.officer import attachments as scans
from core.officer import queues
from core.officer.common import (
    DOCUMENT_KINDS,
    MultiCheckboxField,
    applicant_dict,
    applicant_form,
    display_data,
    filter_procedures,
    form_payload,
    install_template_helpers,
    load_unit,
    plugin_form,
    procedure_haystack,
    put_errors,
)
from core.officer.documents import documents_for
from core.plugins import display
from core.plugins.manager import get_procedure, procedures_for
from core.plugins.types import translate
from core.tenancy.models import Unit
from core.tenancy.services import descendant_ids
from core.users.permissions import can, roles_over

bp = Blueprint("officer", __name__)


def register(app: Flask) -> None:
    install_template_helpers(app)
    app.add_template_global(officer_nav, "officer_nav")
    app.register_blueprint(bp)


def officer_nav(unit: Unit) -> dict:
    """What the officer menu offers on ``unit``: counter, admin, reports, dashboard, and the unit switcher."""
    user = _user()
    admin = None
    if can(user, "unit.admin", unit):
        admin = url_for("admin.index", unit_slug=unit.slug)
    return {
        "receive": can(user, "dossier.receive", unit) and unit.successor_id is None,
        "admin": admin,
        "reports": url_for("reports.report", unit_slug=unit.slug),
        "dashboard": url_for("reports.dashboard", unit_slug=unit.slug),
        "tracking_book": url_for("documents.tracking_book", unit_slug=unit.slug),
        "units": my_units(user),
    }


# --- access ----------------------------------------------------------------------------------------------------------


def _user():
    return current_user._get_current_object()


def _unit_for(unit_slug: str, permission: str = "dossier.view") -> Unit:
    # A merged unit's records stay readable; its counter points to the successor's.
    unit = load_unit(unit_slug, merged_readable=permission != "dossier.receive")
    if not can(_user(), permission, unit):
        abort(403)
    return unit


def my_units(user) -> list[Unit]:
    """Units the user holds a role on, communes first, for the unit switcher."""
    units = {m.unit.id: m.unit for m in user.memberships if m.unit is not None and m.unit.active}
    return sorted(units.values(), key=lambda u: (u.kind != "commune", u.name))


def _dossier_for(unit_slug: str, code: str) -> tuple[Unit, Dossier]:
    unit = _unit_for(unit_slug)
    try:
        dossier = services.get_for_user(_user(), code)
    except services.ServiceError:
        abort(404)
    scope = descendant_ids({unit.id})
    if dossier.receiving_unit_id not in scope and dossier.competent_unit_id not in scope:
        abort(404)
    return unit, dossier


# --- unit switcher ---------------------------------------------------------------------------------------------------


@bp.get("/chon-don-vi")
@login_required
def switch_unit():
    slug = request.args.get("unit", "")
    unit = load_unit(slug)
    if not can(_user(), "dossier.view", unit):
        abort(403)
    return redirect(url_for("officer.queues", unit_slug=unit.slug))


# --- queues ----------------------------------------------------------------------------------------------------------


@bp.get("/<unit_slug>/", endpoint="queues")
@login_required
def queues_page(unit_slug: str):
    unit = _unit_for(unit_slug)
    user = _user()
    if not can(user, "queue.view", unit) and can(user, "unit.admin", unit):
        return redirect(url_for("admin.index", unit_slug=unit.slug))
    tabs = queues.tabs_for(user, unit)
    page = _page_number()
    now = utcnow()
    counts = queues.counts(user, unit, tabs, now)
    current = request.args.get("tab") or queues.home_tab(user, unit, tabs, counts)
    if current not in {t.key for t in tabs}:
        abort(404)
    dossiers = queues.rows(current, user, unit, now, page)
    return render_template("officer/queues.html", unit=unit, tabs=tabs, current=current, counts=counts,
                           dossiers=dossiers, page=page, now=now, procedure_name=_procedure_name,
                           can_receive=can(user, "dossier.receive", unit))


def _page_number() -> int:
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        abort(404)
    if page > queries.MAX_PAGE:
        abort(404)
    return page


def _procedure_name(key: str) -> str:
    procedure = get_procedure(key)
    return procedure.display_name if procedure else key


# --- search ----------------------------------------------------------------------------------------------------------


@bp.get("/<unit_slug>/tim-kiem")
@login_required
def search(unit_slug: str):
    unit = _unit_for(unit_slug)
    q = (request.args.get("q") or "").strip()[:100]
    status = request.args.get("status") or ""
    if status and status not in workflow.STATE_LABELS:
        status = ""
    page = _page_number()
    results, total = [], 0
    if q or status:
        results, total = queries.unit_page(db.session, _user(), unit, page, status=status or None, q=q or None)
    return render_template("officer/search.html", unit=unit, q=q, status=status, results=results, total=total,
                           page=page, page_size=queries.PAGE_SIZE, states=workflow.STATE_LABELS,
                           procedure_name=_procedure_name, now=utcnow())


# --- the counter -----------------------------------------------------------------------------------------------------


@bp.get("/<unit_slug>/tiep-nhan")
@login_required
def counter(unit_slug: str):
    unit = _unit_for(unit_slug, "dossier.receive")
    q = (request.args.get("q") or "").strip()[:100]
    offered = procedures_for(unit)
    shown = filter_procedures(offered, q)
    if q and len(shown) == 1:
        return redirect(url_for("officer.counter_form", unit_slug=unit.slug, procedure_key=shown[0].key))
    return render_template("officer/counter_choose.html", unit=unit, q=q, procedures=shown, total=len(offered),
                           haystack=procedure_haystack, time_limit_text=processing_time_text,
                           fee_text=procedure_fee_text)


class CounterForm(Form):
    """The counter's own fields next to the applicant and the procedure's form: checklist and refusal reason."""

    documents = MultiCheckboxField("")
    reason = TextAreaField("", render_kw={"rows": 3})
    result_delivery = SelectField("", default="desk")
    residence_unit = SelectField("", default="")


def _counter_form(procedure, formdata=None, unit=None) -> CounterForm:
    form = CounterForm(formdata=formdata, prefix="counter")
    field = form.documents
    field.label.text = _("Thành phần hồ sơ đã nhận")
    field.choices = [(str(i), _document_text(d)) for i, d in enumerate(procedure.required_documents)]
    # Nothing is ticked in advance: the officer ticks each paper handed in, and Mẫu 01 lists exactly those.
    form.reason.label.text = _("Lý do từ chối hoặc nội dung cần bổ sung")
    form.result_delivery.label.text = _("Đăng ký nhận kết quả tại")
    form.result_delivery.choices = [("desk", _("Bộ phận tiếp nhận và trả kết quả")),
                                    ("postal", _("Qua dịch vụ bưu chính công ích"))]
    communes = _file_anywhere_communes(unit, procedure) if unit is not None else []
    if communes:
        # Filing anywhere in the province (core.dossiers.anywhere): the desk names where the applicant lives.
        form.residence_unit.label.text = _("Xã/phường nơi cư trú của người nộp")
        form.residence_unit.choices = [("", _("Tại xã/phường này"))] + communes
    else:
        del form.residence_unit
    return form


def _file_anywhere_communes(unit: Unit, procedure) -> list[tuple[str, str]]:
    """(slug, name) of the other active communes of the province when it lets this procedure be filed anywhere."""
    from sqlalchemy import select

    from core.dossiers.anywhere import listed_procedures
    from core.tenancy.services import province_id

    if procedure.key not in listed_procedures(unit):
        return []
    top = province_id(unit.id)
    rows = db.session.scalars(select(Unit).where(Unit.kind == "commune", Unit.active.is_(True), Unit.id != unit.id))
    return sorted(((u.slug, u.name) for u in rows if province_id(u.id) == top), key=lambda pair: pair[1])


def _document_text(document) -> str:
    kind = DOCUMENT_KINDS.get(document.kind, document.kind)
    return f"{translate(document.name)} ({kind}, {document.count}){' *' if document.is_required else ''}"


def _offered(unit: Unit, procedure_key: str):
    procedure = get_procedure(procedure_key)
    if procedure is None or procedure not in procedures_for(unit):
        abort(404)
    return procedure


@bp.route("/<unit_slug>/tiep-nhan/<procedure_key>", methods=["GET", "POST"])
@login_required
def counter_form(unit_slug: str, procedure_key: str):
    unit = _unit_for(unit_slug, "dossier.receive")
    procedure = _offered(unit, procedure_key)
    posted = request.form if request.method == "POST" else None
    applicant = applicant_form(posted)
    data_form = plugin_form(procedure, unit, posted)
    counter_fields = _counter_form(procedure, posted, unit)
    general: list[str] = []
    if request.method == "POST":
        outcome = _receive_at_counter(unit, procedure, applicant, data_form, counter_fields, general)
        if outcome is not None:
            return outcome
    status = 422 if request.method == "POST" else 200
    return render_template(
        "officer/counter_form.html", unit=unit, procedure=procedure, applicant=applicant, data_form=data_form,
        counter_form=counter_fields, general_errors=general, due_preview=services.preview_due_at(unit, procedure,
                                                                                                  utcnow()),
        fee_text=procedure_fee_text(procedure),
        time_limit=processing_time_text(procedure.current_version.processing_time),
        legal_basis=procedure.current_version.legal_basis,
        files_lost=request.method == "POST" and scans.files_in_request(),
    ), status


_DECISION_OF_BUTTON = {"receive": "receive", "supplement": "guide", "refuse": "refuse"}
_DOCUMENT_OF_DECISION = {"receive": "receipt", "guide": "supplement_request", "refuse": "refusal"}


def _receive_at_counter(unit, procedure, applicant, data_form, counter_fields, general):
    """Receive (Mẫu 01), guide to supplement (Mẫu 02) or refuse (Mẫu 03) in one service call; None when the page
    must be shown again with every error."""
    button = request.form.get("do", "receive")
    if button not in _DECISION_OF_BUTTON:
        abort(400)
    decision = _DECISION_OF_BUTTON[button]
    ticked = set(counter_fields.documents.data or [])
    documents = [d.name for i, d in enumerate(procedure.required_documents) if str(i) in ticked]
    upload_errors = scans.check_uploads()
    if upload_errors:
        general.extend(upload_errors)
        return None
    user = _user()
    try:
        outcome = services.create_dossier(unit, procedure.key, "counter", applicant_dict(applicant),
                                          form_payload(data_form, request.form), user, documents=documents,
                                          decision=decision, reason=counter_fields.reason.data or "",
                                          result_delivery=counter_fields.result_delivery.data or None,
                                          residence_unit=(counter_fields.residence_unit.data or None)
                                          if "residence_unit" in counter_fields else None)
    except services.ServiceError as exc:
        fields = dict(exc.fields)
        for name in ("documents", "reason", "result_delivery", "residence_unit"):
            if name in fields and name in counter_fields:
                counter_fields[name].errors = [fields.pop(name)]
        general.extend(put_errors(fields, applicant, data_form))
        if not exc.fields:
            general.append(exc.message)
        return None
    dossier = outcome.dossier
    for message in scans.save_uploads(user, dossier):
        flash(message, "error")
    for warning in outcome.warnings:
        flash(_("Lưu ý: %(message)s", message=str(warning.message)), "warning")
    flash({"receive": _("Đã tiếp nhận hồ sơ %(code)s.", code=dossier.code),
           "guide": _("Đã lập phiếu hướng dẫn bổ sung hồ sơ %(code)s (chưa tiếp nhận).", code=dossier.code),
           "refuse": _("Đã lập phiếu từ chối tiếp nhận hồ sơ %(code)s.", code=dossier.code)}[decision], "success")
    return redirect(url_for("officer.dossier", unit_slug=unit.slug, code=dossier.code,
                            print=_DOCUMENT_OF_DECISION[decision]))


# --- the dossier page ------------------------------------------------------------------------------------------------


@bp.get("/<unit_slug>/dossiers/<code>")
@login_required
def dossier(unit_slug: str, code: str):
    unit, found = _dossier_for(unit_slug, code)
    return _render_dossier(unit, found)


def _render_dossier(unit: Unit, dossier: Dossier, failed: dict | None = None, status: int = 200,
                    general: list[str] | None = None):
    user = _user()
    procedure = get_procedure(dossier.procedure_key)
    now = utcnow()
    names = [n for n in action_forms.ordered(services.allowed_actions(user, dossier))
             if action_forms.offered_on_page(n, dossier)]
    roles = roles_over(user, dossier.competent_unit_id) | roles_over(user, dossier.receiving_unit_id)
    primary = action_forms.primary_action(roles, names)
    forms = [(failed or {}).get(name) or action_forms.action_form(name, dossier) for name in names]
    primary_form = next((f for f in forms if f.action.name == primary), None)
    others = [f for f in forms if f is not primary_form]
    documents = documents_for(dossier, unit.slug)
    wanted = request.args.get("print") if status == 200 else None
    to_print = next((d for d in documents if d["key"] == wanted), None)
    competent = dossier.competent_unit
    panels = display.dossier_panels(dossier, user)
    return render_template(
        "officer/dossier.html", unit=unit, dossier=dossier, procedure=procedure,
        procedure_name=procedure.display_name if procedure else dossier.procedure_key,
        data_rows=display_data(procedure, competent, dossier.data), primary_form=primary_form,
        other_forms=[f for f in others if not action_forms.is_caution(f.action.name)],
        caution_forms=[f for f in others if action_forms.is_caution(f.action.name)], failed=failed or {},
        documents=documents, to_print=to_print, panels=panels, timing=_timing(dossier, now),
        event_label=action_forms.event_label, event_details=action_forms.event_details,
        attachments=scans.listing(dossier, unit.slug), may_attach=scans.may_attach(user, dossier),
        papers=scans.papers(dossier), may_digitize=scans.may_digitize(user, dossier),
        general_errors=general or [], now=now,
    ), status


@bp.post("/<unit_slug>/dossiers/<code>/tep-dinh-kem")
@login_required
def attach(unit_slug: str, code: str):
    """Attach more scans to a dossier (through the attachments service)."""
    unit, found = _dossier_for(unit_slug, code)
    if not scans.may_attach(_user(), found):
        abort(403)
    if not scans.files_in_request():
        return _render_dossier(unit, found, status=422, general=[_("Chưa chọn tệp nào để đính kèm.")])
    errors = scans.check_uploads() or scans.save_uploads(_user(), found)
    if errors:
        db.session.rollback()
        found = db.session.scalar(db.select(Dossier).where(Dossier.code == code))
        return _render_dossier(unit, found, status=422, general=errors)
    flash(_("Đã đính kèm tệp."), "success")
    return redirect(url_for("officer.dossier", unit_slug=unit.slug, code=code))


@bp.post("/<unit_slug>/dossiers/<code>/papers/<int:index>/scan")
@login_required
def digitize(unit_slug: str, code: str, index: int):
    """Scan one paper of the checklist (one PDF, or several images combined into one PDF)."""
    unit, found = _dossier_for(unit_slug, code)
    try:
        outcome = scans.digitize(_user(), found, index)
    except services.ServiceError as exc:
        db.session.rollback()
        found = db.session.scalar(db.select(Dossier).where(Dossier.code == code))
        status = exc.status if exc.status in (403, 404, 409, 413, 422) else 422
        return _render_dossier(unit, found, status=status, general=[scans.message(exc)])
    flash(_("Đã số hóa giấy tờ: %(name)s.", name=translate(outcome.document.name)), "success")
    return redirect(url_for("officer.dossier", unit_slug=unit.slug, code=code))


def _timing(dossier: Dossier, now) -> dict:
    """Due date, working days left (or late by), and the pause state, for the dossier page."""
    result = {"due_at": dossier.due_at, "extended_due_at": dossier.extended_due_at, "paused": False, "left": None,
              "late": None, "completion": dossier.completion}
    if dossier.due_at is None:
        return result
    calendar = calendar_for(dossier.receiving_unit)
    if dossier.status in workflow.PAUSED_STATES and dossier.paused_at is not None:
        result["paused"] = True
    elif dossier.status in workflow.RUNNING_STATES:
        if now <= dossier.due_at:
            result["left"] = days_text(calendar.working_days_between(now, dossier.due_at))
        else:
            result["late"] = days_text(calendar.working_days_between(dossier.due_at, now))
    return result


@bp.post("/<unit_slug>/dossiers/<code>/actions/<action>")
@login_required
def act(unit_slug: str, code: str, action: str):
    unit, found = _dossier_for(unit_slug, code)
    if action not in workflow.ACTIONS:
        abort(404)
    user = _user()
    form = action_forms.action_form(action, found, request.form)
    allowed = action in services.allowed_actions(user, found)
    # A confirmation is asked only of who may act: anyone else gets the service's refusal (403/409) below.
    if allowed and action_forms.confirmation_missing(form):
        return _render_dossier(unit, found, {action: form}, 422, [form.confirm.errors[0]])
    arguments = action_forms.action_arguments(form)
    version = request.form.get("version", "")
    expected = int(version) if version.isascii() and version.isdigit() else None  # "²".isdigit() is True
    from_status = found.status
    try:
        changed = services.perform_action(user, found, action, arguments, expected)
    except services.ServiceError as exc:
        db.session.rollback()
        found = db.session.scalar(db.select(Dossier).where(Dossier.code == code))
        left = action_forms.put_action_errors(form, exc.fields)
        # Field messages are linked from the summary (and shown at their field); a generic headline would add nothing.
        general = left if exc.fields and len(left) < len(exc.fields) else [exc.message] + [
            m for m in left if m != exc.message]
        failed = {action: form} if action in services.allowed_actions(user, found) else {}
        return _render_dossier(unit, found, failed, exc.status if exc.status in (403, 409, 422) else 422, general)
    flash(_("Đã thực hiện: %(action)s.", action=workflow.event_label(action, from_status)), "success")
    document = action_forms.document_after(action, from_status)
    return redirect(url_for("officer.dossier", unit_slug=unit.slug, code=changed.code,
                            **({"print": document} if document else {})))

