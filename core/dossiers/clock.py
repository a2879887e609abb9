"""Deadline clock: working time, due dates, pauses and on-time classification.

Pure functions and value objects only (no Flask, no database). Everything the clock
decides is decided in Asia/Ho_Chi_Minh local time (UTC+7, no DST); every datetime going
in must be timezone-aware (``ValueError`` otherwise) and every datetime coming out is
aware and expressed in :data:`VN_TZ`.

Working time
    The union of the unit's office periods (default Monday-Friday 07:30-11:30 and
    13:30-17:00) on working days. A period is half-open, ``[start, end)``: 07:30 is a
    working moment, 11:30 and 17:00 are not. One *working day* is the length of one
    office day (450 minutes = 7.5 h with the default hours); fractional days are fine.

Working days
    A date is a working day when, in this order of precedence:

    1. it is an extra day off (``days_off``)            -> not a working day;
    2. it is an extra make-up working day (``working_days``, ngày làm bù)
                                                        -> working day, even on a Saturday;
    3. it is a Vietnamese public holiday from the ``holidays`` package (lunar Tết,
       Hùng Kings' day, observed and substituted days off)  -> not a working day;
    4. it is a weekend day the ``holidays`` package lists as a make-up working day
       for a substituted day off (e.g. Saturday 26/04/2025)   -> working day;
    5. otherwise its weekday is in ``OfficeHours.weekdays``.

    Steps 3 and 4 are skipped with ``country_holidays=False``.

End of a limit in working days (``deadline_end``, a unit setting)
    * ``"close_of_day"`` (default): Civil Code 2015 Art. 147(2) - the first day of a period
      counted in days is not counted - and Art. 148(1) - the period ends at the end of its
      last day. A whole number N of working days ends at the close of the N-th working day
      after the reception date: received Monday at any hour with 3 days -> Thursday at the
      close. A fractional limit ends at the close of the day on which its working time
      runs out. Art. 148(6) ends a day at 24:00; a result can only be handed over during
      office hours, so the close of the office day is used.
    * ``"same_hour"``: the working time itself: received Monday 09:00 with 3 days ->
      Thursday 09:00 (the behaviour before this setting, still used by some provinces).
    Working hours and same-day limits are not affected.

Conventions
    * Reception outside office hours (evening, lunch break, weekend, holiday) counts
      from the next working moment.
    * **End of period**: when the working time runs out exactly at the end of an office
      period, the due moment stays at that end. Received Monday 07:30 with 1 working day
      -> due Monday 17:00 (not Tuesday 07:30); 4 h from 07:30 -> 11:30 (not 13:30).
      Formally, ``add_working_minutes(s, m)`` for ``m > 0`` is the *earliest* moment
      ``t`` with ``working_minutes_between(s, t) == m``; for ``m == 0`` it is
      ``next_working_moment(s)``.
    * **Same-day limits** (``unit="same_day"``): the reception moment is first moved to
      the next working moment ``m``. If ``m`` is at or before the cut-off hour (15:00 by
      default), the dossier is due at the close of that day; if strictly after the
      cut-off, at the close of the next working day. So 14:59 and 15:00 -> today 17:00,
      15:01 -> next working day 17:00; Sunday or 18:00 -> the next working day's close.
    * **Pauses** (supplement, payment): the working time left between the pause and the
      due moment is added again from the next working moment after the resume. A pause
      that starts at or after the due moment leaves the due moment unchanged (a dossier
      that was already late stays late).
    * **Classification** is by local date: finished on a date before the due date ->
      ``"early"``; on the due date and not after the due moment -> ``"on_time"``; after
      the due moment -> ``"late"``. Pass the original due moment: an apology letter's
      new date does not change the classification.

Internally the clock works on naive local datetimes and integer microseconds, so adding
then measuring a whole number of minutes round-trips exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

# Office hours are a unit's setting that tenancy validates too: they live in a module both layers import.
from core.localtime import VN_TZ
from core.officehours import DEADLINE_ENDS, OfficeHours

__all__ = [
    "VN_TZ",
    "OfficeHours",
    "TimeLimit",
    "WorkCalendar",
    "compute_due_at",
    "resume_due_at",
    "classify_completion",
    "is_overdue",
    "UNITS",
    "DEFAULT_CUTOFF",
    "DEADLINE_ENDS",
    "reschedule_due_at",
    "country_days_off",
    "country_make_up_days",
]


UNITS = frozenset({"working_days", "working_hours", "same_day"})
DEFAULT_CUTOFF = time(15, 0)

# Official day swaps the pinned ``holidays`` package lacks (LAW-09, docs/decisions.md): (days off, make-up days).
# 2026: Official Dispatch 12729/VPCP-KGVX of 25/12/2025 - Friday 2/1/2026 off, worked on Saturday 10/1/2026.
_OFFICIAL_SWAPS: dict[int, tuple[frozenset[date], frozenset[date]]] = {
    2026: (frozenset({date(2026, 1, 2)}), frozenset({date(2026, 1, 10)})),
}

_US_PER_MINUTE = 60_000_000
_ONE_DAY = timedelta(days=1)
# How far next_working_day() searches before giving up (a calendar with no working day).
_MAX_SEARCH_DAYS = 3700

# --------------------------------------------------------------------------- helpers


def _require_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware: {value!r}")
    return value


def _local(value: datetime, name: str = "moment") -> datetime:
    """Aware datetime -> naive wall-clock datetime in Vietnam."""
    return _require_aware(value, name).astimezone(VN_TZ).replace(tzinfo=None)


def _aware(naive_local: datetime) -> datetime:
    return naive_local.replace(tzinfo=VN_TZ)


def _us(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _minutes_to_us(minutes: float) -> int:
    try:
        value = float(minutes)
    except (TypeError, ValueError):
        raise ValueError(f"minutes must be a number, got {minutes!r}") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"minutes must be a finite number >= 0, got {minutes!r}")
    return round(value * _US_PER_MINUTE)


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day)


def _as_date(d: date) -> date:
    if isinstance(d, datetime):
        return _local(d, "d").date()
    if not isinstance(d, date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    return d


def _since_midnight(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


@lru_cache(maxsize=256)
def _country_days(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Vietnamese public days off and make-up weekend working days falling in ``year``.

    Built from the ``holidays`` package; cached per year because building a holidays
    object is slow. The neighbouring years are generated too, because a swap may cross
    the new year (e.g. 31/12/2018 off, made up on Saturday 05/01/2019).
    """
    calendar = holidays.country_holidays("VN", years=(year - 1, year, year + 1))
    extra_off, extra_work = _OFFICIAL_SWAPS.get(year, (frozenset(), frozenset()))
    days_off = frozenset(d for d in calendar if d.year == year) | extra_off
    make_up = frozenset(
        d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year and d not in days_off
    ) | extra_work
    return days_off, make_up


def country_days_off(year: int, language: str = "vi") -> dict[date, str]:
    """The built-in public days off of ``year`` with their names (``language``: "vi" or "en_US")."""
    calendar = holidays.country_holidays("VN", years=year, language=language)
    named = {d: str(name) for d, name in calendar.items() if d.year == year}
    for d in _OFFICIAL_SWAPS.get(year, (frozenset(), frozenset()))[0]:
        named.setdefault(d, "Day off (swapped)" if language.startswith("en") else "Ngày nghỉ (hoán đổi)")
    return dict(sorted(named.items()))


def country_make_up_days(year: int) -> frozenset[date]:
    """The built-in make-up working days (weekend days worked in exchange for a day off) of ``year``."""
    return _country_days(year)[1]


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class TimeLimit:
    """A procedure's processing time limit.

    ``unit`` is ``"working_days"`` (value may be fractional, e.g. 0.5),
    ``"working_hours"`` or ``"same_day"`` (value ignored, conventionally 0; ``cutoff``
    defaults to 15:00 and is ignored for the other units).
    """

    value: float
    unit: str
    cutoff: time | None = None

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown time-limit unit {self.unit!r}; expected one of {sorted(UNITS)}")
        if isinstance(self.value, bool):
            raise ValueError("time-limit value must be a number, not a bool")
        try:
            number = float(self.value)
        except (TypeError, ValueError):
            raise ValueError(f"time-limit value must be a number, got {self.value!r}") from None
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"time-limit value must be finite and >= 0, got {self.value!r}")
        if self.cutoff is not None and (not isinstance(self.cutoff, time) or self.cutoff.tzinfo is not None):
            raise ValueError(f"cutoff must be a naive datetime.time, got {self.cutoff!r}")

    @property
    def effective_cutoff(self) -> time:
        """The same-day cut-off hour (15:00 unless set)."""
        return self.cutoff if self.cutoff is not None else DEFAULT_CUTOFF


# --------------------------------------------------------------------------- calendar


class WorkCalendar:
    """Working days and office hours of one unit; measures and adds working time."""

    def __init__(
        self,
        office_hours: OfficeHours | None = None,
        days_off: Iterable[date] = (),
        working_days: Iterable[date] = (),
        country_holidays: bool = True,
        deadline_end: str = "close_of_day",
    ) -> None:
        if deadline_end not in DEADLINE_ENDS:
            raise ValueError(f"deadline_end must be one of {DEADLINE_ENDS}, got {deadline_end!r}")
        self.deadline_end = deadline_end
        self.office_hours = office_hours if office_hours is not None else OfficeHours()
        if not isinstance(self.office_hours, OfficeHours):
            raise TypeError("office_hours must be an OfficeHours")
        self.days_off = _date_set(days_off, "days_off")
        self.working_days = _date_set(working_days, "working_days")
        self.country_holidays = bool(country_holidays)
        self._periods = tuple(
            (_since_midnight(start), _since_midnight(end)) for start, end in self.office_hours.periods
        )
        self._day_us = sum(_us(end - start) for start, end in self._periods)
        self._day_cache: dict[date, bool] = {}

    def __repr__(self) -> str:
        return (
            f"WorkCalendar({self.office_hours.to_spec()!r}, weekdays={sorted(self.office_hours.weekdays)}, "
            f"days_off={len(self.days_off)}, working_days={len(self.working_days)}, "
            f"country_holidays={self.country_holidays}, deadline_end={self.deadline_end!r})"
        )

    # -- days

    def is_working_day(self, d: date) -> bool:
        """Whether ``d`` is a working day (see the module docstring for precedence)."""
        return self._is_working(_as_date(d))

    def _is_working(self, d: date) -> bool:
        # Per-calendar memo: the day loops below ask about the same dates again and again.
        known = self._day_cache.get(d)
        if known is None:
            known = self._day_cache[d] = self._compute_is_working(d)
        return known

    def _compute_is_working(self, d: date) -> bool:
        if d in self.days_off:
            return False
        if d in self.working_days:
            return True
        if self.country_holidays:
            public_off, make_up = _country_days(d.year)
            if d in public_off:
                return False
            if d in make_up:
                return True
        return d.weekday() in self.office_hours.weekdays

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self._next_working(_as_date(d))

    def _next_working(self, d: date) -> date:
        for _ in range(_MAX_SEARCH_DAYS):
            d += _ONE_DAY
            if self._is_working(d):
                return d
        raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days after the given date")

    def close_of_day(self, d: date) -> datetime:
        """End of the last office period on ``d`` (whether or not ``d`` is a working day)."""
        return _aware(_midnight(_as_date(d)) + self._periods[-1][1])

    # -- moments

    def is_working_moment(self, moment: datetime) -> bool:
        """Whether ``moment`` lies inside an office period ``[start, end)`` of a working day."""
        local = _local(moment)
        if not self.is_working_day(local.date()):
            return False
        offset = local - _midnight(local.date())
        return any(start <= offset < end for start, end in self._periods)

    def next_working_moment(self, moment: datetime) -> datetime:
        """``moment`` itself if it is a working moment, else the next period start."""
        return _aware(self._next_working_local(_local(moment)))

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` of working time after ``start`` (end-of-period convention).

        Whole working days are skipped in one step each, so long spans are cheap.
        Raises ValueError for negative or non-finite minutes.
        """
        return _aware(self._add_local(_local(start, "start"), _minutes_to_us(minutes)))

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes in ``[start, end)``; 0 when ``end <= start``."""
        return self._between_local(_local(start, "start"), _local(end, "end")) / _US_PER_MINUTE

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in ``[start, end)`` as an exact duration (whole microseconds); zero when ``end <= start``."""
        return timedelta(microseconds=self._between_local(_local(start, "start"), _local(end, "end")))

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of working time after ``start``, exactly (see ``add_working_minutes``)."""
        if duration < timedelta(0):
            raise ValueError(f"duration must be >= 0, got {duration!r}")
        return _aware(self._add_local(_local(start, "start"), _us(duration)))

    def working_days_between(self, start: datetime, end: datetime) -> float:
        """Working time from ``start`` to ``end`` in working days; negative if ``end < start``.

        Useful for "days left" (``now`` -> due) and average handling time.
        """
        s, e = _local(start, "start"), _local(end, "end")
        if e >= s:
            return self._between_local(s, e) / self._day_us
        return -self._between_local(e, s) / self._day_us

    # -- internals on naive local datetimes

    def _next_working_local(self, t: datetime) -> datetime:
        d = t.date()
        if self._is_working(d):
            offset = t - _midnight(d)
            for start, end in self._periods:
                if offset < end:
                    return t if offset >= start else _midnight(d) + start
        return _midnight(self._next_working(d)) + self._periods[0][0]

    def _add_local(self, t: datetime, remaining: int) -> datetime:
        t = self._next_working_local(t)
        d = t.date()
        base = _midnight(d)
        for start, end in self._periods:
            period_end = base + end
            if period_end <= t:
                continue
            segment_start = max(t, base + start)
            available = _us(period_end - segment_start)
            if remaining <= available:
                return segment_start + timedelta(microseconds=remaining)
            remaining -= available
        d = self._next_working(d)
        while remaining > self._day_us:
            remaining -= self._day_us
            d = self._next_working(d)
        base = _midnight(d)
        for start, end in self._periods:
            available = _us(end - start)
            if remaining <= available:
                return base + start + timedelta(microseconds=remaining)
            remaining -= available
        raise AssertionError("unreachable: remaining time exceeds one office day")  # pragma: no cover

    def _between_local(self, s: datetime, e: datetime) -> int:
        if e <= s:
            return 0
        total = 0
        d, last = s.date(), e.date()
        while d <= last:
            if self._is_working(d):
                base = _midnight(d)
                if s <= base and base + _ONE_DAY <= e:
                    total += self._day_us
                else:
                    for start, end in self._periods:
                        low, high = max(s, base + start), min(e, base + end)
                        if high > low:
                            total += _us(high - low)
            d += _ONE_DAY
        return total


def _date_set(values: Iterable[date], name: str) -> frozenset[date]:
    result = set()
    for value in values:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise TypeError(f"{name} must contain datetime.date values, got {value!r}")
        result.add(value)
    return frozenset(result)


# --------------------------------------------------------------------------- deadlines


def compute_due_at(received_at: datetime, limit: TimeLimit, calendar: WorkCalendar) -> datetime:
    """Due moment of a dossier received at ``received_at`` under ``limit``.

    Working days/hours are added as working time from the next working moment;
    same-day limits follow the cut-off rule described in the module docstring.
    """
    _require_aware(received_at, "received_at")
    if limit.unit == "working_days":
        value = float(limit.value)
        if calendar.deadline_end == "close_of_day" and value > 0:
            if value.is_integer():  # Civil Code Art. 147(2)/148(1): count whole days after the reception date
                day = _local(received_at).date()
                for _ in range(int(value)):
                    day = calendar.next_working_day(day)
                return calendar.close_of_day(day)
            due = calendar.add_working_minutes(received_at, value * calendar.office_hours.day_minutes())
            return _close_of(due, calendar)
        return calendar.add_working_minutes(received_at, value * calendar.office_hours.day_minutes())
    if limit.unit == "working_hours":
        return calendar.add_working_minutes(received_at, float(limit.value) * 60)
    if limit.unit == "same_day":
        start = calendar.next_working_moment(received_at)
        day = start.date()
        if start.time() > limit.effective_cutoff:
            day = calendar.next_working_day(day)
        return calendar.close_of_day(day)
    raise ValueError(f"unknown time-limit unit {limit.unit!r}")  # pragma: no cover - TimeLimit validates


def resume_due_at(due_at: datetime, paused_at: datetime, resumed_at: datetime, calendar: WorkCalendar,
                  unit: str = "working_days") -> datetime:
    """New due moment after a pause from ``paused_at`` to ``resumed_at``.

    The working time left at the pause (``paused_at`` -> ``due_at``) runs again from the
    next working moment after ``resumed_at``. If the pause began at or after the due
    moment nothing was left, and ``due_at`` is returned unchanged (in VN time).
    Raises ValueError if ``resumed_at`` is before ``paused_at``. ``unit`` is the dossier's limit unit: under
    ``close_of_day`` a limit in days ends at the close of the day the remaining time runs out (not one in hours).
    """
    due = _local(due_at, "due_at")
    paused = _local(paused_at, "paused_at")
    resumed = _local(resumed_at, "resumed_at")
    if resumed < paused:
        raise ValueError("resumed_at must not be before paused_at")
    if paused >= due:
        return _aware(due)
    remaining = calendar.working_time_between(paused_at, due_at)
    return _close_of(calendar.add_working_time(resumed_at, remaining), calendar, unit)


def reschedule_due_at(due_at: datetime, anchor: datetime, before: WorkCalendar, after: WorkCalendar,
                      unit: str = "working_days") -> datetime:
    """The due moment after a calendar change: the working time left from ``anchor`` (now, or the start of a pause)
    to ``due_at`` under the ``before`` calendar runs from ``anchor`` under the ``after`` calendar. A due moment at or
    before ``anchor`` stays (a day already past is not given back)."""
    due = _local(due_at, "due_at")
    start = _local(anchor, "anchor")
    if due <= start:
        return _aware(due)
    remaining = before.working_time_between(anchor, due_at)
    return _close_of(after.add_working_time(anchor, remaining), after, unit)


def _close_of(due: datetime, calendar: WorkCalendar, unit: str = "working_days") -> datetime:
    """Under ``close_of_day`` a due moment inside a working day moves to that day's close (Civil Code Art. 148(1))."""
    if calendar.deadline_end != "close_of_day" or unit == "working_hours":
        return due
    day = due.astimezone(VN_TZ).date()
    return max(due, calendar.close_of_day(day))


def classify_completion(finished_at: datetime, due_at: datetime) -> str:
    """``"early"``, ``"on_time"`` or ``"late"`` by Vietnamese local date (see module docstring)."""
    finished = _local(finished_at, "finished_at")
    due = _local(due_at, "due_at")
    if finished > due:
        return "late"
    if finished.date() < due.date():
        return "early"
    return "on_time"


def is_overdue(now: datetime, due_at: datetime) -> bool:
    """Whether ``now`` is strictly after the due moment."""
    return _local(now, "now") > _local(due_at, "due_at")
