"""Vietnam's time zone and the few conversions every area needs (one definition, imported by core and plugins).

Kept free of project imports so that any layer (tenancy, dossiers, notifications, the API, plugins) can use it
without creating an import cycle.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

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
