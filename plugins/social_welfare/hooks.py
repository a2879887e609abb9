"""Hook implementations of the social-welfare plugin: amounts on reception, the review posting, the decision."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from core.plugins import DocumentTemplate, Panel, SettingInfo, Veto, Widget, gettext_noop, hookimpl
from core.plugins.api import dossiers_of, format_number, local_day, render_panel, today, unit_by_id
from plugins.social_welfare import review, rules
from plugins.social_welfare.procedures import FUNERAL, MONTHLY, PENSION, PROCEDURES

KEYS = (MONTHLY, PENSION, FUNERAL)


def _unit(dossier):
    return unit_by_id(dossier.competent_unit_id)


@hookimpl
def register_procedures():
    return PROCEDURES


@hookimpl
def register_unit_settings():
    return {"base_rate": rules.DEFAULT_BASE_RATE}


@hookimpl
def register_unit_setting_info():
    return {"base_rate": SettingInfo(
        gettext_noop("Mức chuẩn trợ giúp xã hội"),
        gettext_noop("Trợ cấp hằng tháng bằng mức chuẩn nhân với hệ số của từng đối tượng. Tỉnh có thể quy định mức "
                     "cao hơn mức của Chính phủ."), gettext_noop("đồng/tháng"))}


@hookimpl
def register_document_templates():
    return [
        DocumentTemplate(key="social_welfare.posting_list", title="Danh sách công khai kết quả xét duyệt",
                         template="social_welfare/posting_list.html", procedures=(MONTHLY,),
                         available_in=("in_progress",)),
        DocumentTemplate(key="social_welfare.decision", title="Quyết định", template="social_welfare/decision.html",
                         procedures=KEYS),
    ]


@hookimpl
def on_dossier_event(dossier, event):
    """Amounts when the dossier is filed; the posting period when it starts; the decision date on approval."""
    if dossier.procedure_key not in KEYS:
        return None
    data = dossier.data or {}
    if event.action in ("receive", "submit") and "base_rate" not in data and "age" not in data:
        return review.amounts(dossier.procedure_key, data, local_day(dossier.submitted_at or event.at),
                              _unit(dossier))
    if event.action == "record_step" and (event.payload or {}).get("step") == review.STEP:
        started = local_day(event.at)
        return {"posting_started_on": started.isoformat(),
                "posting_ends_on": review.posting_ends_on(started, _unit(dossier)).isoformat()}
    if event.action == "approve":
        decided = local_day(event.at)
        certificate = data.get("disability_certificate_date")
        start = rules.payment_start(decided, data.get("categories") or [],
                                    date.fromisoformat(certificate) if certificate else None)
        return {"decided_on": decided.isoformat(), "payment_from": start.isoformat()}
    return None


@hookimpl
def check_transition(dossier, action, actor, arguments, now):
    """The monthly allowance goes to the Chairman only after its 2-working-day public posting."""
    if dossier.procedure_key != MONTHLY or action != "submit_for_approval":
        return None
    started = review.posting_started_on(dossier)
    if started is None:
        return Veto(_("Chưa niêm yết công khai kết quả xét duyệt (02 ngày làm việc)."), "welfare_posting_not_started")
    ends = review.posting_ends_on(started, _unit(dossier))
    if local_day(now) <= ends:
        return Veto(_("Chưa hết thời gian niêm yết công khai kết quả xét duyệt (đến hết ngày %(day)s).",
                      day=ends.strftime("%d/%m/%Y")), "welfare_posting_not_finished")
    return None


@hookimpl
def dossier_panels(dossier, user):
    if dossier.procedure_key not in KEYS:
        return []
    data = dossier.data or {}
    started = review.posting_started_on(dossier) if dossier.procedure_key == MONTHLY else None
    ends = review.posting_ends_on(started, _unit(dossier)) if started else None
    categories = {code: label for code, label in rules.CATEGORY_CHOICES}
    html = render_panel("social_welfare/panel.html", dossier=dossier, data=data, money=format_number,
                           categories=categories, started=started, ends=ends, today=today())
    return [Panel(title=_("Mức trợ giúp xã hội"), html=html, order=30)]


@hookimpl
def dashboard_widgets(unit, user):
    day = today()
    posting = 0
    for dossier in dossiers_of(unit, (MONTHLY,), ("in_progress",)):
        started = review.posting_started_on(dossier)
        if started is not None and day <= review.posting_ends_on(started, unit):
            posting += 1
    return [Widget(title=_("Bảo trợ xã hội: đang niêm yết kết quả xét duyệt"), value=str(posting), order=50)]
