"""Pure rules of the land (đất đai) field: parcel data, the 30-day change-registration deadline, public posting.

Legal basis: Land Law 2024 (31/2024/QH15) art. 133(3) (register a change within 30 days of it); Decree 151/2025/NĐ-CP
Annex I (the commune posts first-registration details publicly for 15 days); land-use purpose codes of the cadastral
standard (ONT, ODT, LUC, CLN, BHK, NTS, …).

Counting days (Civil Code 2015 art. 147): the day of the event is not counted. A change on 1/3 may be registered up to
and including 31/3 (day 30); on 1/4 (day 31) it is late.

Everything here is pure: no Flask app, no database. Rules return ``Issue`` objects and never raise.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from numbers import Real

from flask_babel import lazy_gettext as _l

from core.plugins import Issue

CHANGE_REGISTRATION_DAYS = 30
PUBLIC_POSTING_DAYS = 15

CHANGE_TYPES = [
    ("transfer", _l("Chuyển nhượng")),
    ("gift", _l("Tặng cho")),
    ("inheritance", _l("Thừa kế")),
    ("mortgage", _l("Thế chấp")),
]

LAND_USE_PURPOSES = [
    ("ONT", _l("Đất ở tại nông thôn")),
    ("ODT", _l("Đất ở tại đô thị")),
    ("LUC", _l("Đất chuyên trồng lúa")),
    ("LUK", _l("Đất trồng lúa còn lại")),
    ("BHK", _l("Đất bằng trồng cây hằng năm khác")),
    ("CLN", _l("Đất trồng cây lâu năm")),
    ("RSX", _l("Đất rừng sản xuất")),
    ("NTS", _l("Đất nuôi trồng thủy sản")),
]


def _is_positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_positive_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        return False
    if isinstance(value, Decimal):
        return value.is_finite() and value > 0
    return math.isfinite(value) and value > 0


def check_parcel(area: float | Decimal | None, parcel_number: int | None, map_sheet: int | None) -> list[Issue]:
    """Validate the parcel identification: area (m²) greater than 0; parcel number (thửa đất số) and map sheet
    (tờ bản đồ số) positive integers. ``None``, booleans, NaN and infinities are invalid."""
    issues: list[Issue] = []
    if not _is_positive_number(area):
        issues.append(Issue("area", _l("Diện tích thửa đất phải lớn hơn 0."), "error", "area_not_positive"))
    if not _is_positive_int(parcel_number):
        issues.append(
            Issue("parcel_number", _l("Số thửa đất phải là số nguyên dương."), "error", "parcel_number_invalid")
        )
    if not _is_positive_int(map_sheet):
        issues.append(Issue("map_sheet", _l("Số tờ bản đồ phải là số nguyên dương."), "error", "map_sheet_invalid"))
    return issues


def is_late_change_registration(change_date: date, registered_on: date) -> bool:
    """True when a change is registered more than 30 days after it (day 30 is on time, day 31 is late)."""
    return (registered_on - change_date).days > CHANGE_REGISTRATION_DAYS


def check_change(change_date: date, registered_on: date) -> list[Issue]:
    """Validate a change registration (đăng ký biến động): a change date after the registration date is an error;
    registering more than 30 days after the change is a warning (the registration is still accepted; a penalty
    may apply)."""
    if change_date > registered_on:
        return [
            Issue(
                "change_date",
                _l("Ngày biến động không được sau ngày đăng ký."),
                "error",
                "change_date_in_future",
            )
        ]
    if is_late_change_registration(change_date, registered_on):
        return [
            Issue(
                "change_date",
                _l(
                    "Đăng ký biến động quá %(days)s ngày kể từ ngày biến động.",
                    days=CHANGE_REGISTRATION_DAYS,
                ),
                "warning",
                "late_change_registration",
            )
        ]
    return []


def posting_ends_on(start: date) -> date:
    """Last day of the 15-day public posting (niêm yết công khai) that starts on ``start``.

    Calendar days, not working days. As in Civil Code 2015 art. 147 the starting day is not counted, so the posting
    runs through ``start + 15 days`` (posted 1/3 → ends 16/3); objections are accepted up to and including that day
    and the commune may conclude the posting on the following day.
    """
    return start + timedelta(days=PUBLIC_POSTING_DAYS)
