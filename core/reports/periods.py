"""Reporting periods (domain.md 3.2): month, quarter, 6 and 9 months, year, or any range of Vietnam dates.

The ``month15``, ``quarter15`` and ``year15`` presets follow the data cut-off of periodic reports of state
administrative bodies (Decree 09/2019/NĐ-CP on the reporting regime, Art. 12): a monthly report runs from the 15th of
the previous month to the 14th of the reporting month, a quarterly one from the 15th of the month before the quarter
to the 14th of its last month, a yearly one from 15 December of the year before to 14 December. (The search tool
found provincial reporting regimes built on Decree 09/2019, e.g. Kon Tum Decision 06/2024/QĐ-UBND, but not the
article's text itself: see docs/decisions.md.)

A period is a closed range of local dates ``[start, end]``. Its moments are the Vietnam midnights that bound it:
``begins_at`` is 00:00 of ``start`` and ``ends_at`` is 00:00 of the day after ``end`` ("the end of ``end``"), both
timezone-aware. Every figure of a period is computed from these two moments and the stored timestamps, never from
today's date, so a period's report can be reproduced later.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from core.dossiers.clock import VN_TZ
from core.validators import parse_day as bounded_day

PRESETS = {
    "month": _l("Tháng"),
    "quarter": _l("Quý"),
    "6m": _l("6 tháng"),
    "9m": _l("9 tháng"),
    "year": _l("Năm"),
    "month15": _l("Tháng, chốt số liệu từ ngày 15 tháng trước đến ngày 14"),
    "quarter15": _l("Quý, chốt số liệu từ ngày 15 đến ngày 14"),
    "year15": _l("Năm, chốt số liệu từ 15/12 năm trước đến 14/12"),
    "range": _l("Khoảng thời gian bất kỳ"),
}
# Presets whose number is a month (the others a quarter or nothing).
MONTH_PRESETS = ("month", "month15")
MAX_DAYS = 3 * 366 + 1  # a report covers at most about three years


class PeriodError(ValueError):
    """A period that cannot be built (bad date, start after end, too long); ``field`` names the culprit."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VN_TZ)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError("from", str(_l("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")))
        if (self.end - self.start).days >= MAX_DAYS:
            raise PeriodError("to", str(_l("Kỳ báo cáo dài tối đa 3 năm.")))

    @property
    def begins_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def ends_at(self) -> datetime:
        return local_midnight(self.end + timedelta(days=1))

    def split_months(self) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
        """(day ranges outside whole months, the whole months as [first month, month after last)).

        Used to read monthly counts for whole months and daily counts for the partial months at the edges.
        """
        first = self.start if self.start.day == 1 else next_month(self.start)
        last = next_month(self.end) if self.end == month_end(self.end) else month_start(self.end)
        if first >= last:
            return [(self.start, self.end)], None
        days = []
        if self.start < first:
            days.append((self.start, first - timedelta(days=1)))
        if last <= self.end:
            days.append((last, self.end))
        return days, (first, last)

    def months(self) -> list[date]:
        """First day of every month the period touches."""
        found, current = [], month_start(self.start)
        while current <= self.end:
            found.append(current)
            current = next_month(current)
        return found

    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


def parse_day(value: str | None, field: str) -> date:
    if not value:
        raise PeriodError(field, str(_l("Thiếu ngày (định dạng YYYY-MM-DD).")))
    try:
        return bounded_day(value)
    except (ValueError, AttributeError):
        raise PeriodError(field, str(_l("Ngày không hợp lệ (định dạng YYYY-MM-DD).")))  # noqa: B904


def parse_period(start: str | None, end: str | None) -> Period:
    """A period from two ISO dates; PeriodError names the bad field."""
    return Period(parse_day(start, "from"), parse_day(end, "to"))


def preset(kind: str, year: int, number: int = 1) -> Period:
    """The standard periods: ``month`` (number 1-12), ``quarter`` (1-4), ``6m`` and ``9m`` (from 1 January),
    ``year``."""
    if kind == "month":
        if not 1 <= number <= 12:
            raise PeriodError("number", str(_l("Tháng phải từ 1 đến 12.")))
        first = date(year, number, 1)
        return Period(first, month_end(first))
    if kind == "quarter":
        if not 1 <= number <= 4:
            raise PeriodError("number", str(_l("Quý phải từ 1 đến 4.")))
        first = date(year, 3 * number - 2, 1)
        return Period(first, month_end(date(year, 3 * number, 1)))
    if kind in ("6m", "9m"):
        months = 6 if kind == "6m" else 9
        return Period(date(year, 1, 1), month_end(date(year, months, 1)))
    if kind == "year":
        return Period(date(year, 1, 1), date(year, 12, 31))
    if kind in ("month15", "quarter15", "year15"):
        return cutoff_period(kind, year, number)
    raise PeriodError("period", str(_l("Loại kỳ báo cáo không hợp lệ.")))


def _day_15_before(year: int, month: int) -> date:
    """The 15th of the month before ``month`` of ``year``."""
    return date(year - 1, 12, 15) if month == 1 else date(year, month - 1, 15)


def cutoff_period(kind: str, year: int, number: int = 1) -> Period:
    """The periods of Decree 09/2019/NĐ-CP Art. 12: month ``number`` runs from the 15th of the month before to the
    14th of that month; quarter ``number`` from the 15th of the month before it to the 14th of its last month; the
    year from 15 December of the year before to 14 December."""
    if kind == "month15":
        if not 1 <= number <= 12:
            raise PeriodError("number", str(_l("Tháng phải từ 1 đến 12.")))
        return Period(_day_15_before(year, number), date(year, number, 14))
    if kind == "quarter15":
        if not 1 <= number <= 4:
            raise PeriodError("number", str(_l("Quý phải từ 1 đến 4.")))
        return Period(_day_15_before(year, 3 * number - 2), date(year, 3 * number, 14))
    return Period(date(year - 1, 12, 15), date(year, 12, 14))


def today_local(now: datetime | None = None) -> date:
    return (now or datetime.now(VN_TZ)).astimezone(VN_TZ).date()
