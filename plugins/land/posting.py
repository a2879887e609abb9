"""The 15-day public posting (niêm yết công khai) of a first registration, read from the dossier's history.

A specialist of the commune records the step ``posting_started`` (``record_step``) on the day the details are
posted; the posting ends ``rules.posting_ends_on(start)`` and the commune may conclude it the day after. When the
step was recorded more than once (posted again after a correction), the latest one counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.plugins.api import latest_step_day
from plugins.land import rules

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


def posting_of(dossier) -> Posting | None:
    """The dossier's latest posting, or None when none was recorded."""
    started = latest_step_day(dossier, STEP)
    if started is None:
        return None
    return Posting(started, rules.posting_ends_on(started))
