"""The working-time calendar of a unit: its office hours, the country's holidays and the editable calendar table."""

from __future__ import annotations

from functools import cache

from flask import current_app, g, has_app_context
from sqlalchemy import Date, Integer, String, bindparam, cast, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import identity_key

from core.dossiers.clock import DEADLINE_ENDS, OfficeHours, WorkCalendar
from core.dossiers.models import CalendarDay
from core.extensions import db
from core.read_commit import reads_only
from core.tenancy.models import Unit

MAX_DEPTH = 16  # a unit tree is province > district > commune; a cycle written by hand must not loop


@cache  # built on first use (the mappers are configured by then), compiled once
def _calendar_rows():
    """One statement for a unit's calendar: the calendar rows for every unit and for the unit (``rank`` 0 and 1:
    global rows first), then the ``settings`` of the unit ``parent_id`` and of each unit above it (``rank`` 2, 3, …,
    nearest first; none when ``parent_id`` is NULL), for its ``deadline_end``."""
    above = aliased(Unit)
    chain = (select(Unit.parent_id.label("next_id"), Unit.settings, literal(2).label("rank"))
             .where(Unit.id == bindparam("parent_id")).cte("unit_chain", recursive=True))
    chain = chain.union_all(select(above.parent_id, above.settings, chain.c.rank + 1)
                            .where(above.id == chain.c.next_id, chain.c.rank < MAX_DEPTH))
    days = select(CalendarDay.day, CalendarDay.kind, cast(null(), Unit.settings.type).label("settings"),
                  cast(CalendarDay.unit_id.is_not(None), Integer).label("rank")) \
        .where(or_(CalendarDay.unit_id.is_(None), CalendarDay.unit_id == bindparam("unit_id")))
    parents = select(cast(null(), Date), cast(null(), String), chain.c.settings, chain.c.rank)
    combined = union_all(days, parents).subquery()
    return reads_only(select(combined.c.day, combined.c.kind, combined.c.settings).order_by(combined.c.rank))


def calendar_for(unit) -> WorkCalendar:
    """Global days first, then the unit's own rows override them (cached for the request). Its ``deadline_end`` is
    the unit's setting, else its parent's (a province sets it for its communes), else the ``DEADLINE_END``
    configuration; by default the Civil Code's close of the last day (see core.dossiers.clock)."""
    cache = g.setdefault("_calendars", {}) if has_app_context() else {}
    key = unit.id if unit is not None else None
    if key in cache:
        return cache[key]
    deadline_end, parent_id = _deadline_end_in_session(unit)
    kinds = {}
    for day, kind, settings in db.session.execute(_calendar_rows(), {"unit_id": key, "parent_id": parent_id}):
        if kind is not None:
            kinds[day] = kind  # global rows come first; a unit's row for the same day replaces it
        elif deadline_end is None:
            deadline_end = _deadline_end_in(settings)  # the nearest unit above that sets it
    calendar = WorkCalendar(
        office_hours=OfficeHours.parse(unit.office_hours if unit is not None else None),
        days_off=[d for d, k in kinds.items() if k == "off"],
        working_days=[d for d, k in kinds.items() if k == "work"],
        deadline_end=deadline_end or _configured_deadline_end(),
    )
    cache[key] = calendar
    return calendar


def _deadline_end_in_session(unit) -> tuple[str | None, int | None]:
    """The ``deadline_end`` set on the unit or on a unit above it that the session holds already; else None and the
    first unit above whose settings must be read (None when there is none)."""
    seen = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        found = _deadline_end_in(unit.settings)
        if found is not None:
            return found, None
        parent_id = unit.parent_id
        if parent_id is None:
            break
        unit = db.session.identity_map.get(identity_key(Unit, parent_id))
        if unit is None:
            return None, parent_id
    return None, None


def _deadline_end_in(settings) -> str | None:
    value = settings.get("deadline_end") if isinstance(settings, dict) else None
    return value if value in DEADLINE_ENDS else None


def _configured_deadline_end() -> str:
    configured = current_app.config.get("DEADLINE_END") if has_app_context() else None
    return configured if configured in DEADLINE_ENDS else "close_of_day"


def forget_calendars() -> None:
    if has_app_context():
        g.pop("_calendars", None)
