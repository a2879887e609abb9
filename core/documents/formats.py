"""How official forms write places and dates ("Hoàn Sơn, ngày 03 tháng 3 năm 2026"), on top of core.formatting."""

from __future__ import annotations

from datetime import date, datetime

# Moments, dates, amounts and limits are written by core.formatting, the one implementation; re-exported here so the
# form builders read ``fmt.moment_text`` beside the place helpers below.
from core.formatting import day_text, long_date, moment_text, money, short_moment, time_limit_text
from core.localtime import local

__all__ = ["day_text", "in_text", "local", "long_date", "moment_text", "money", "place_date", "place_name",
           "short_moment", "time_limit_text"]

# Prefixes of unit names that the place line of a document leaves out ("Xã Hoàn Sơn" → "Hoàn Sơn").
_PLACE_PREFIXES = ("Thị trấn ", "Thị xã ", "Thành phố ", "Phường ", "Xã ", "Huyện ", "Quận ", "Tỉnh ",
                   "Đặc khu ")


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
