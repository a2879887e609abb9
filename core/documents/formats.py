"""How official forms write moments, dates, amounts and time limits (always in Asia/Ho_Chi_Minh time)."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from core.dossiers.clock import VN_TZ

# Prefixes of unit names that the place line of a document leaves out ("Xã Hoàn Sơn" → "Hoàn Sơn").
_PLACE_PREFIXES = ("Thị trấn ", "Thị xã ", "Thành phố ", "Phường ", "Xã ", "Huyện ", "Quận ", "Tỉnh ",
                   "Đặc khu ")


def local(moment: datetime | None) -> datetime | None:
    """``moment`` in Vietnamese local time (None stays None)."""
    return moment.astimezone(VN_TZ) if moment is not None else None


def moment_text(moment: datetime | None) -> str:
    """"08 giờ 05 phút, ngày 03/03/2026" as the forms write reception and return times; "" for None."""
    if moment is None:
        return ""
    m = local(moment)
    return _("%(hour)s giờ %(minute)s phút, ngày %(day)s", hour=f"{m.hour:02d}", minute=f"{m.minute:02d}",
             day=m.strftime("%d/%m/%Y"))


def short_moment(moment: datetime | None) -> str:
    """"08:05 03/03/2026" for table cells; "" for None."""
    return local(moment).strftime("%H:%M %d/%m/%Y") if moment is not None else ""


def day_text(value: date | datetime | None) -> str:
    """"03/03/2026"; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")


def long_date(value: date | datetime) -> str:
    """"ngày 03 tháng 3 năm 2026" (months 1 and 2 keep a leading zero, as administrative style asks)."""
    if isinstance(value, datetime):
        value = local(value).date()
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s", day=f"{value.day:02d}", month=month, year=value.year)


def place_name(unit_name: str) -> str:
    """The place written before the date: the unit's name without its kind ("Xã Hoàn Sơn" → "Hoàn Sơn")."""
    for prefix in _PLACE_PREFIXES:
        if unit_name.startswith(prefix) and len(unit_name) > len(prefix):
            return unit_name[len(prefix):]
    return unit_name


def in_text(unit_name: str) -> str:
    """A unit's name inside a sentence: its kind in lower case ("Xã Hoàn Sơn" → "xã Hoàn Sơn")."""
    for prefix in _PLACE_PREFIXES:
        if unit_name.startswith(prefix):
            return unit_name[0].lower() + unit_name[1:]
    return unit_name


def place_date(place: str, value: date | datetime) -> str:
    """"Hoàn Sơn, ngày 03 tháng 3 năm 2026"."""
    return f"{place}, {long_date(value)}" if place else long_date(value)


def money(amount: int | None) -> str:
    """"50.000 đồng"; "0 đồng" for nothing."""
    return _("%(amount)s đồng", amount=f"{int(amount or 0):,}".replace(",", "."))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def time_limit_text(value: float, unit: str, cutoff: str = "") -> str:
    """The legal processing time as the receipt states it."""
    if unit == "same_day":
        hour = cutoff or "15:00"
        hh, _sep, mm = hour.partition(":")
        when = _("%(hour)s giờ", hour=int(hh)) if mm in ("", "00") else _("%(hour)s giờ %(minute)s", hour=int(hh),
                                                                          minute=mm)
        return _("Trong ngày làm việc (tiếp nhận sau %(when)s thì trả kết quả trong ngày làm việc tiếp theo)",
                 when=when)
    if unit == "working_hours":
        return _("%(n)s giờ làm việc", n=_number(value))
    return _("%(n)s ngày làm việc", n=_number(value))
