"""The working-time calendar of a unit: its office hours, the country's holidays and the editable calendar table."""

from __future__ import annotations

from flask import current_app, g, has_app_context
from sqlalchemy import or_, select

from core.dossiers.clock import DEADLINE_ENDS, OfficeHours, WorkCalendar
from core.dossiers.models import CalendarDay
from core.extensions import db


def calendar_for(unit) -> WorkCalendar:
    """Global days first, then the unit's own rows override them (cached for the request)."""
    cache = g.setdefault("_calendars", {}) if has_app_context() else {}
    key = unit.id if unit is not None else None
    if key in cache:
        return cache[key]
    rows = db.session.scalars(
        select(CalendarDay).where(or_(CalendarDay.unit_id.is_(None), CalendarDay.unit_id == key))
        .order_by(CalendarDay.unit_id.is_(None).desc())
    ).all()
    kinds = {}
    for row in rows:  # global rows come first; a unit's row for the same day replaces it
        kinds[row.day] = row.kind
    calendar = WorkCalendar(
        office_hours=OfficeHours.parse(unit.office_hours if unit is not None else None),
        days_off=[d for d, k in kinds.items() if k == "off"],
        working_days=[d for d, k in kinds.items() if k == "work"],
        deadline_end=deadline_end_of(unit),
    )
    cache[key] = calendar
    return calendar


def deadline_end_of(unit) -> str:
    """The unit's ``deadline_end`` setting, else its parent's (a province sets it for its communes), else the
    ``DEADLINE_END`` configuration; by default the Civil Code's close of the last day (see core.dossiers.clock)."""
    seen = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        value = (unit.settings or {}).get("deadline_end") if isinstance(unit.settings, dict) else None
        if value in DEADLINE_ENDS:
            return value
        unit = unit.parent
    configured = current_app.config.get("DEADLINE_END") if has_app_context() else None
    return configured if configured in DEADLINE_ENDS else "close_of_day"


def forget_calendars() -> None:
    if has_app_context():
        g.pop("_calendars", None)
