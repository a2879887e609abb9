"""A unit's office hours ("07:30-11:30,13:30-17:00" on Monday to Friday) and the ways a limit in days may end.

Pure value objects, no Flask and no database: the unit files (core.tenancy) validate them and the deadline clock
(core.dossiers.clock) counts with them, so they sit below both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

# How a limit counted in working days ends (the unit setting ``deadline_end``; see core.dossiers.clock).
DEADLINE_ENDS = ("close_of_day", "same_hour")

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class OfficeHours:
    """Office periods of a unit on each of its ordinary working weekdays (Monday=0).

    Periods must be sorted, non-overlapping, minute-precise and each non-empty. The
    text spec (``"07:30-11:30,13:30-17:00"``) covers the periods only, not the weekdays.
    """

    periods: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})

    def __post_init__(self) -> None:
        try:
            periods = tuple((start, end) for start, end in self.periods)
        except (TypeError, ValueError):
            raise ValueError(f"periods must be (start, end) pairs: {self.periods!r}") from None
        if not periods:
            raise ValueError("office hours need at least one period")
        previous_end: time | None = None
        for start, end in periods:
            for t in (start, end):
                if not isinstance(t, time):
                    raise ValueError(f"period bounds must be datetime.time, got {t!r}")
                if t.tzinfo is not None:
                    raise ValueError(f"period bounds must be naive local times, got {t!r}")
                if t.second or t.microsecond:
                    raise ValueError(f"period bounds must be whole minutes, got {t!r}")
            if start >= end:
                raise ValueError(f"period start must be before its end: {start}-{end}")
            if previous_end is not None and start < previous_end:
                raise ValueError("periods must be sorted and must not overlap")
            previous_end = end
        try:
            weekdays = frozenset(self.weekdays)
        except TypeError:
            raise ValueError(f"weekdays must be a set of ints: {self.weekdays!r}") from None
        if not weekdays:
            raise ValueError("office hours need at least one weekday")
        if any(isinstance(w, bool) or not isinstance(w, int) or not 0 <= w <= 6 for w in weekdays):
            raise ValueError(f"weekdays must be ints 0 (Monday) .. 6 (Sunday): {sorted(weekdays, key=str)}")
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "weekdays", weekdays)

    @classmethod
    def parse(cls, spec: str | None) -> OfficeHours:
        """Parse ``"07:30-11:30,13:30-17:00"``; ``None`` or blank gives the default.

        Raises ValueError on malformed text, impossible times, empty, unsorted or
        overlapping periods.
        """
        if spec is None:
            return cls()
        if not isinstance(spec, str):
            raise ValueError(f"office hours spec must be a string, got {spec!r}")
        if not spec.strip():
            return cls()
        periods = []
        for item in spec.split(","):
            bounds = item.split("-")
            if len(bounds) != 2:
                raise ValueError(f"bad office period {item.strip()!r}; expected HH:MM-HH:MM")
            periods.append((_parse_time(bounds[0]), _parse_time(bounds[1])))
        return cls(periods=tuple(periods))

    def day_minutes(self) -> int:
        """Length of one office day in minutes (450 with the default hours)."""
        return sum(_minutes(end) - _minutes(start) for start, end in self.periods)

    def to_spec(self) -> str:
        """Inverse of :meth:`parse` (periods only)."""
        return ",".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in self.periods)


def _parse_time(text: str) -> time:
    match = _TIME_RE.match(text.strip())
    if not match:
        raise ValueError(f"bad time {text.strip()!r}; expected HH:MM")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(f"time out of range: {text.strip()!r}")
    return time(hour, minute)
