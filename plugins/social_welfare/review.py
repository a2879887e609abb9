"""Amounts and the review posting of social-welfare dossiers, from the dossier's stored data and history.

Called by the plugin's hooks inside core's transactions; reads only (core merges what the hooks return into
``dossier.data``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale

from core.plugins.api import latest_step_day
from plugins.social_welfare import rules
from plugins.social_welfare.procedures import FUNERAL, MONTHLY, PENSION

STEP = "posting_started"


def base_rate(unit) -> int:
    """The unit's base rate (mức chuẩn trợ giúp xã hội), setting ``base_rate``, default 500,000 đ."""
    value = unit.plugin_settings("social_welfare").get("base_rate", rules.DEFAULT_BASE_RATE)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else rules.DEFAULT_BASE_RATE


def amounts(procedure_key: str, data: dict, applied_on: date, unit) -> dict:
    """What the officer must see: age, coefficient and monthly amount, or the funeral support amount."""
    base = base_rate(unit)
    if procedure_key == MONTHLY:
        birth = date.fromisoformat(data["birth_date"])
        categories = list(data.get("categories") or [])
        children = data.get("children") or 0
        age = rules.full_years(birth, applied_on)
        with force_locale("vi"):  # printed on official papers, which are Vietnamese
            labels = [str(rules.CATEGORY_BY_CODE[c].label) for c in categories if c in rules.CATEGORY_BY_CODE]
        return {"base_rate": base, "age": age, "coefficient": rules.total_coefficient(categories, age, children),
                "monthly_amount": rules.monthly_amount(categories, birth, applied_on, base, children),
                "category_labels": labels}
    if procedure_key == PENSION:
        return {"age": rules.full_years(date.fromisoformat(data["birth_date"]), applied_on),
                "monthly_amount": rules.social_pension_amount()}
    if procedure_key == FUNERAL:
        monthly = bool(data.get("deceased_received_monthly_allowance") or data.get("other_eligibility"))
        return {"base_rate": base,
                "support_amount": rules.funeral_support_amount(
                    base, monthly_allowance=monthly,
                    social_pension=bool(data.get("deceased_received_social_pension")))}
    return {}


def posting_started_on(dossier) -> date | None:
    """The day the review result was posted (the latest record of the step), or None."""
    return latest_step_day(dossier, STEP)


def posting_ends_on(started: date, unit) -> date:
    from core.plugins.api import calendar_for

    return rules.posting_ends_on(started, calendar_for(unit).is_working_day)



