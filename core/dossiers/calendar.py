"""The working-time calendar of a unit: its office hours, the country's holidays and the editable calendar table."""

from __future__ import annotations

from functools import cache

from flask import current_app, g, has_app_context
from sqlalchemy import bindparam, literal, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import identity_key

from core.dossiers.clock import DEADLINE_ENDS, OfficeHours, WorkCalendar
from core.dossiers.models import CalendarDay
from core.extensions import db
from core.tenancy.models import Unit

MAX_DEPTH = 16  # a unit tree is province > district > commune; a cycle written by hand must not loop


@cache  # built on first use: the mappers are configured by then
def _ancestors_settings():
    """The ``settings`` of a unit's parent, its parent's parent and so on, nearest first, in one statement (a
    recursive query; built once)."""
    above = aliased(Unit)
    chain = (select(Unit.parent_id.label("next_id"), Unit.settings, literal(1).label("depth"))
             .where(Unit.id == bindparam("parent_id")).cte("unit_chain", recursive=True))
    chain = chain.union_all(select(above.parent_id, above.settings, chain.c.depth + 1)
                            .where(above.id == chain.c.next_id, chain.c.depth < MAX_DEPTH))
    return select(chain.c.settings).order_by(chain.c.depth)


@cache
def _calendar_days():
    """(day, kind) of the calendar rows for every unit and for one unit, global rows first (built once)."""
    return (select(CalendarDay.day, CalendarDay.kind)
            .where(or_(CalendarDay.unit_id.is_(None), CalendarDay.unit_id == bindparam("unit_id")))
            .order_by(CalendarDay.unit_id.is_(None).desc()))


def calendar_for(unit) -> WorkCalendar:
    """Global days first, then the unit's own rows override them (cached for the request)."""
    cache = g.setdefault("_calendars", {}) if has_app_context() else {}
    key = unit.id if unit is not None else None
    if key in cache:
        return cache[key]
    kinds = {}
    for day, kind in db.session.execute(_calendar_days(), {"unit_id": key}):
        kinds[day] = kind  # global rows come first; a unit's row for the same day replaces it
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
    ``DEADLINE_END`` configuration; by default the Civil Code's close of the last day (see core.dossiers.clock).

    Parents already in the session are read from it; the first one that is not, and those above it, are read in
    one statement."""
    seen = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        found = _deadline_end_in(unit.settings)
        if found is not None:
            return found
        parent_id = unit.parent_id
        if parent_id is None:
            break
        unit = db.session.identity_map.get(identity_key(Unit, parent_id))
        if unit is None:
            ancestors = db.session.scalars(_ancestors_settings(), {"parent_id": parent_id})
            found = next((value for value in map(_deadline_end_in, ancestors) if value is not None), None)
            if found is not None:
                return found
            break
    configured = current_app.config.get("DEADLINE_END") if has_app_context() else None
    return configured if configured in DEADLINE_ENDS else "close_of_day"


def _deadline_end_in(settings) -> str | None:
    value = settings.get("deadline_end") if isinstance(settings, dict) else None
    return value if value in DEADLINE_ENDS else None


def forget_calendars() -> None:
    if has_app_context():
        g.pop("_calendars", None)
