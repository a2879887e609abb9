"""How every page, document, notification and export writes numbers, money, percentages, dates, moments and legal
time limits: one implementation on Babel, in the request's language (Vietnamese outside a request), and always in
Vietnam's time.

Plugins use these through ``core.plugins.api``; nothing else in the project formats a number by hand.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale
from flask_babel import gettext as _

from core.localtime import VN_TZ, local

Number = int | float | Decimal


def current_locale(locale: str | None = None) -> str:
    """``locale`` if given, else the request's language, else Vietnamese (CLI, background delivery)."""
    if locale:
        return locale
    try:
        found = get_locale()
    except RuntimeError:  # no application context at all
        found = None
    return str(found or "vi")


# --- numbers ---------------------------------------------------------------------------------------------------------


def number(value: Number | None, locale: str | None = None, digits: int = 3) -> str:
    """A number grouped by thousands with at most ``digits`` decimals: 12345678 → "12.345.678", 1525.5 → "1.525,5"
    (vi), "1,525.5" (en). "" for None."""
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=current_locale(locale))


def percent(value: Number | None, locale: str | None = None) -> str:
    """A ratio as a percentage with two decimals: 0.9851 → "98,51%" (vi), "98.51%" (en). "" for None."""
    if value is None:
        return ""
    return format_percent(value, format="#,##0.00%", locale=current_locale(locale))


def money(amount: Number | None, locale: str | None = None) -> str:
    """An amount in đồng: 50000 → "50.000 đồng"; nothing → "0 đồng"."""
    return _("%(amount)s đồng", amount=number(int(amount or 0), locale))


# --- dates and moments (always Vietnam's time) -----------------------------------------------------------------------


def _moment(value: datetime | str | None) -> datetime | None:
    """An aware datetime from a datetime or an ISO 8601 string (a naive one is read as Vietnam's time)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=VN_TZ)
    return value


def day_text(value: date | datetime | str | None) -> str:
    """"03/03/2026" (a moment's local day; an ISO string's date); "" for None, a non-date string unchanged."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = local(value).date()
    return format_date(value, "dd/MM/yyyy", locale=current_locale())


def _moment_or_text(moment: datetime | str | None) -> tuple[datetime | None, str]:
    """The moment to format, or (None, what to show as is): "" for None, a string that is no date unchanged."""
    if not moment:
        return None, ""
    try:
        return _moment(moment), ""
    except ValueError:
        return None, moment


def short_moment(moment: datetime | str | None) -> str:
    """"08:05 03/03/2026", for table cells and exports; "" for None."""
    parsed, as_is = _moment_or_text(moment)
    if parsed is None:
        return as_is
    return format_datetime(parsed, "HH:mm dd/MM/yyyy", tzinfo=VN_TZ, locale=current_locale())


def datetime_text(moment: datetime | str | None) -> str:
    """"09:05 ngày 03/02/2026", as the pages show a moment; "" for None, a non-date string unchanged."""
    parsed, as_is = _moment_or_text(moment)
    if parsed is None:
        return as_is
    m = local(parsed)
    return _("%(time)s ngày %(date)s", time=m.strftime("%H:%M"), date=m.strftime("%d/%m/%Y"))


def moment_text(moment: datetime | None) -> str:
    """"08 giờ 05 phút, ngày 03/03/2026", as official forms write reception and return times; "" for None."""
    if moment is None:
        return ""
    m = local(moment)
    return _("%(hour)s giờ %(minute)s phút, ngày %(day)s", hour=f"{m.hour:02d}", minute=f"{m.minute:02d}",
             day=m.strftime("%d/%m/%Y"))


def long_date(value: date | datetime) -> str:
    """"ngày 03 tháng 3 năm 2026" (months 1 and 2 keep a leading zero, as administrative style asks)."""
    if isinstance(value, datetime):
        value = local(value).date()
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s", day=f"{value.day:02d}", month=month, year=value.year)


# --- legal time limits -----------------------------------------------------------------------------------------------


def days_text(value: Number) -> str:
    """A count of working days or hours, to one decimal: 2.5 → "2,5", 3.0 → "3"."""
    return number(value, digits=1)


def time_limit_text(value: Number, unit: str, cutoff: str | time | None = "") -> str:
    """A procedure's legal processing time in words, the same on the counter, the portal and the receipt.

    ``unit`` is ``same_day``, ``working_hours`` or ``working_days``; ``cutoff`` ("16:30" or a time) is the hour
    after which a same-day dossier is answered the next working day (15:00 when unset).
    """
    if unit == "same_day":
        if isinstance(cutoff, time):
            cutoff = cutoff.strftime("%H:%M")
        hh, _sep, mm = (cutoff or "15:00").partition(":")
        when = _("%(hour)s giờ", hour=int(hh)) if mm in ("", "00") else _("%(hour)s giờ %(minute)s", hour=int(hh),
                                                                          minute=mm)
        return _("Trong ngày làm việc (tiếp nhận sau %(when)s thì trả kết quả trong ngày làm việc tiếp theo)",
                 when=when)
    if unit == "working_hours":
        return _("%(n)s giờ làm việc", n=number(value, digits=2))
    return _("%(n)s ngày làm việc", n=number(value, digits=2))


def processing_time_text(processing_time) -> str:
    """``time_limit_text`` of a procedure's ``ProcessingTime`` (core.plugins.types)."""
    return time_limit_text(processing_time.value, processing_time.unit, processing_time.cutoff)
