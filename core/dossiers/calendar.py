"""The working-time calendar of a unit: its office hours, the country's holidays and the editable calendar table."""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy import or_, select

from core.dossiers.clock import OfficeHours, WorkCalendar
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
    )
    cache[key] = calendar
    return calendar


def forget_calendars() -> None:
    if has_app_context():
        g.pop("_calendars", None)
