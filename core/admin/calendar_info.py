"""What the holiday calendar page shows besides its own rows: the built-in public holidays, and the warnings asked
before saving a day that is probably a mistake (DAY-28)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from core.dossiers.clock import OfficeHours, country_days_off, country_make_up_days


@dataclass(frozen=True)
class BuiltInDay:
    day: date
    kind: str  # "off" | "work"
    name: str


def weekday(day: date) -> str:
    """The day of the week in the reader's language ("Thứ Hai", "Monday")."""
    return format_date(day, "EEEE")


def _language() -> str:
    locale = get_locale()
    return "en_US" if locale is not None and locale.language == "en" else "vi"


def built_in_days(years: list[int]) -> list[BuiltInDay]:
    """The public days off and the make-up working days the clock already knows, for ``years``."""
    days = []
    for year in years:
        days += [BuiltInDay(d, "off", name) for d, name in country_days_off(year, _language()).items()]
        days += [BuiltInDay(d, "work", _("Ngày làm bù theo lịch nghỉ lễ")) for d in country_make_up_days(year)]
    return sorted(days, key=lambda b: b.day)


def add_warning(day: date, kind: str, office_hours: str | None) -> str | None:
    """Why ``day`` as ``kind`` is probably a mistake, or None: a day off on a day the office is closed anyway, or a
    make-up working day on a public holiday."""
    holiday = country_days_off(day.year, _language()).get(day)
    if kind == "off":
        if holiday:
            return _("Ngày %(day)s đã là ngày nghỉ lễ (%(name)s).", day=day.strftime("%d/%m/%Y"), name=holiday)
        weekdays = OfficeHours.parse(office_hours or None).weekdays
        if day.weekday() not in weekdays and day not in country_make_up_days(day.year):
            return _("Ngày %(day)s là %(weekday)s, vốn đã là ngày nghỉ hằng tuần.", day=day.strftime("%d/%m/%Y"),
                     weekday=weekday(day))
    elif kind == "work" and holiday:
        return _("Ngày %(day)s là ngày nghỉ lễ (%(name)s): đặt làm ngày làm bù sẽ tính ngày này là ngày làm việc "
                 "khi tính hạn giải quyết.", day=day.strftime("%d/%m/%Y"), name=holiday)
    return None
