"""Hook implementations of the land plugin: procedures, routing, the liên thông rules and the posting timer."""

from __future__ import annotations

from flask_babel import gettext as _

from core.plugins import DocumentTemplate, Panel, SettingInfo, Veto, Widget, gettext_noop, hookimpl, is_enabled
from core.plugins.api import (
    RUNNING_STATES,
    allowed_actions,
    count_dossiers,
    designated_office,
    dossiers_of,
    get_unit_or_none,
    local_day,
    render_panel,
    today,
)
from plugins.land import posting, rules
from plugins.land.procedures import CHANGE, FIRST, PROCEDURES

# What only the office does with a change registration (the commune desk receives and transfers).
PROCESSING_ACTIONS = frozenset({"assign", "record_step", "submit_for_approval", "approve", "send_back",
                                "request_payment"})


def office_for(unit):
    """The land registration office a commune transfers to: the unit setting ``transfer_office`` when it names an
    active office with land enabled, else the deployment's designated office (nearest unit of kind office)."""
    slug = (unit.plugin_settings("land").get("transfer_office") or "").strip()
    office = get_unit_or_none(slug) if slug else None
    if office is None or not office.active or office.kind != "office":
        office = designated_office(unit, "office")
    return office if office is not None and is_enabled(office, "land") else None


def _target(arguments):
    slug = arguments.get("to_unit") if isinstance(arguments, dict) else None
    return get_unit_or_none(slug) if isinstance(slug, str) else None


@hookimpl
def register_procedures():
    return PROCEDURES


@hookimpl
def register_unit_settings():
    return {"transfer_office": ""}


@hookimpl
def register_unit_setting_info():
    return {"transfer_office": SettingInfo(
        gettext_noop("Văn phòng đăng ký đất đai nhận liên thông"),
        gettext_noop("Để trống: văn phòng được chỉ định gần nhất trong huyện, tỉnh."), kind="office")}


@hookimpl
def register_document_templates():
    return [
        DocumentTemplate(key="land.posting_notice", title="Thông báo niêm yết công khai",
                         template="land/posting_notice.html", procedures=(FIRST,), available_in=("in_progress",)),
        DocumentTemplate(key="land.registration_result", title="Thông báo xác nhận kết quả đăng ký đất đai",
                         template="land/registration_result.html", procedures=(FIRST,)),
        DocumentTemplate(key="land.change_result", title="Thông báo kết quả đăng ký biến động đất đai",
                         template="land/change_result.html", procedures=(CHANGE,)),
    ]


@hookimpl
def route_dossier(procedure, data, receiving_unit):
    """A first registration is handled by the commune where the parcel lies (the citizen may file anywhere)."""
    if procedure.key != FIRST:
        return None
    slug = (data.get("parcel_unit") or "").strip()
    return slug if slug and slug != receiving_unit.slug else None


@hookimpl
def check_transition(dossier, action, actor, arguments, now):
    if dossier.procedure_key not in (CHANGE, FIRST) or dossier.competent_unit.kind == "office":
        return None
    target = _target(arguments) if action == "transfer" else None
    if dossier.procedure_key == CHANGE:
        office = office_for(dossier.competent_unit)
        name = office.name if office else _("Văn phòng đăng ký đất đai")
        if action in PROCESSING_ACTIONS or (action == "transfer" and target is not None and target.kind != "office"):
            return Veto(_("Hồ sơ đăng ký biến động do %(office)s giải quyết: bộ phận một cửa chuyển liên thông ngay "
                          "sau khi tiếp nhận.", office=name), "land_transfer_to_office")
        return None
    if action == "submit_for_approval" or (action == "transfer" and target is not None and target.kind == "office"):
        current = posting.posting_of(dossier)
        if current is None:
            return Veto(_("Chưa niêm yết công khai: ghi nhận bước niêm yết 15 ngày trước khi trình duyệt hoặc chuyển "
                          "Văn phòng đăng ký đất đai."), "land_posting_not_started")
        if not current.finished(local_day(now)):
            return Veto(_("Chưa hết thời gian niêm yết công khai 15 ngày (đến hết ngày %(day)s).",
                          day=current.ends_on.strftime("%d/%m/%Y")), "land_posting_not_finished")
    return None


@hookimpl
def on_dossier_event(dossier, event):
    """Put the posting period into the dossier's data (the notice prints it; API clients see the timer)."""
    if dossier.procedure_key != FIRST or event.action != "record_step":
        return None
    if (event.payload or {}).get("step") != posting.STEP:
        return None
    started = local_day(event.at)
    current = posting.Posting(started, rules.posting_ends_on(started))
    return {"posting_started_on": current.started_on.isoformat(), "posting_ends_on": current.ends_on.isoformat()}


@hookimpl
def dossier_panels(dossier, user):
    if dossier.procedure_key not in (CHANGE, FIRST):
        return []
    competent = dossier.competent_unit
    at_commune = competent.kind != "office"
    from flask import has_request_context, request

    # The panel's form posts to the page's own unit (the officer may be viewing from a unit above the commune).
    page_unit = (request.view_args or {}).get("unit_slug") if has_request_context() else None

    context = {"dossier": dossier, "at_commune": at_commune, "today": today(),
               "may_transfer": "transfer" in allowed_actions(user, dossier),
               "unit_slug": page_unit or competent.slug,
               "office": office_for(competent) if at_commune else None,
               "posting": posting.posting_of(dossier) if dossier.procedure_key == FIRST else None}
    title = _("Niêm yết công khai") if dossier.procedure_key == FIRST and at_commune else _("Liên thông đất đai")
    return [Panel(title=title, html=render_panel("land/panel.html", **context), order=40)]


@hookimpl
def dashboard_widgets(unit, user):
    if unit.kind == "office":
        return []
    pending = RUNNING_STATES
    day = today()
    postings = [posting.posting_of(d) for d in dossiers_of(unit, (FIRST,), pending)]
    posting_now = sum(1 for p in postings if p is not None and not p.finished(day))
    posted = sum(1 for p in postings if p is not None and p.finished(day))
    waiting = count_dossiers(unit, (CHANGE,), pending)
    return [Widget(title=_("Đất đai: đang niêm yết công khai"), value=str(posting_now), order=40),
            Widget(title=_("Đất đai: hết niêm yết, chờ chuyển"), value=str(posted), order=41),
            Widget(title=_("Đất đai: biến động chờ chuyển liên thông"), value=str(waiting), order=42)]
