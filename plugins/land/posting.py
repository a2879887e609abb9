"""The 15-day public posting (niêm yết công khai) of a first registration, read from the dossier's history.

A specialist of the commune records the step ``posting_started`` (``record_step``) on the day the details are
posted; the posting ends ``rules.posting_ends_on(start)`` and the commune may conclude it the day after. When the
step was recorded more than once (posted again after a correction), the latest one counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from plugins.land import rules

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
STEP = "posting_started"


@dataclass(frozen=True)
class Posting:
    started_on: date
    ends_on: date

    def finished(self, today: date) -> bool:
        """True from the day after the last posting day."""
        return today > self.ends_on

    def days_left(self, today: date) -> int:
        """Posting days left including today (0 once finished)."""
        return max(0, (self.ends_on - today).days + 1)


def today() -> date:
    return datetime.now(VN_TZ).date()


def local_day(moment: datetime) -> date:
    """The day in Vietnam of an aware moment."""
    return moment.astimezone(VN_TZ).date()


def posting_of(dossier) -> Posting | None:
    """The dossier's latest posting, or None when none was recorded."""
    started = None
    for event in dossier.events:
        if event.action == "record_step" and (event.payload or {}).get("step") == STEP:
            started = event.at.astimezone(VN_TZ).date()
    if started is None:
        return None
    return Posting(started, rules.posting_ends_on(started))
