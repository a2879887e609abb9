"""Vietnam's time zone, the few conversions every area needs, and ages in full years (one definition of each, for
core and plugins).

Kept free of project imports so that any layer (tenancy, dossiers, notifications, the API, plugins) can use it
without creating an import cycle.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

# Vietnam has one time zone and no daylight saving time; every legal moment and day is read in it.
VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(moment: datetime | None) -> datetime | None:
    """``moment`` in Vietnamese local time (None stays None)."""
    return moment.astimezone(VN_TZ) if moment is not None else None


def local_day(moment: datetime) -> date:
    """The day in Vietnam of an aware moment."""
    return moment.astimezone(VN_TZ).date()


def today() -> date:
    """Today in Vietnam."""
    return datetime.now(VN_TZ).date()


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in Vietnam's time (+07:00), as officers and citizens read it; None stays None."""
    return moment.astimezone(VN_TZ).isoformat() if moment else None


def full_years(birth: date, on: date) -> int:
    """Age in full years (tuổi tròn) on ``on``; the age increases on the birthday itself.

    A person born on 29 February reaches a birthday on 28 February in non-leap years: Civil Code 2015 art. 148, for
    periods counted in months and years, ends a period on the last day of the final month when that month has no
    corresponding day (``dateutil.relativedelta`` counts the same way). Before the birth the result is negative (the
    day before birth is -1), so rules can refuse a birth date in the future.
    """
    if on >= birth:
        return relativedelta(on, birth).years
    ahead = relativedelta(birth, on)
    return -ahead.years - (1 if ahead.months or ahead.days else 0)


def add_months(start: date, months: int) -> date:
    """``start`` plus ``months`` calendar months; a day missing in the target month becomes its last day."""
    return start + relativedelta(months=months)
