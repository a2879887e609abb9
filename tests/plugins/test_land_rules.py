"""Boundary tests of the land pure rules (parcel data, the 30-day change deadline, the 15-day public posting)."""

from datetime import date
from decimal import Decimal

import pytest

from plugins.land import rules as r


def codes(issues):
    return [(i.code, i.level) for i in issues]


def test_constants():
    assert r.CHANGE_REGISTRATION_DAYS == 30
    assert r.PUBLIC_POSTING_DAYS == 15


def test_change_types():
    assert [v for v, _ in r.CHANGE_TYPES] == ["transfer", "gift", "inheritance", "mortgage"]
    labels = dict(r.CHANGE_TYPES)
    assert str(labels["transfer"]) == "Chuyển nhượng"
    assert str(labels["gift"]) == "Tặng cho"
    assert str(labels["inheritance"]) == "Thừa kế"
    assert str(labels["mortgage"]) == "Thế chấp"


def test_land_use_purposes():
    purposes = {v: str(label) for v, label in r.LAND_USE_PURPOSES}
    assert {"ONT", "ODT", "LUC", "CLN", "BHK", "NTS"} <= purposes.keys()
    assert purposes["ONT"] == "Đất ở tại nông thôn"
    assert purposes["ODT"] == "Đất ở tại đô thị"
    assert purposes["LUC"] == "Đất chuyên trồng lúa"
    assert purposes["CLN"] == "Đất trồng cây lâu năm"
    assert purposes["BHK"] == "Đất bằng trồng cây hằng năm khác"
    assert purposes["NTS"] == "Đất nuôi trồng thủy sản"
    assert len(purposes) == len(r.LAND_USE_PURPOSES)  # codes are unique


# --- parcel ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [0.01, 1, 250.5, Decimal("0.1"), Decimal("1234.56")])
def test_check_parcel_valid(area):
    assert r.check_parcel(area, 12, 3) == []


@pytest.mark.parametrize(
    "area", [0, 0.0, -1, -0.01, Decimal("0"), None, float("nan"), float("inf"), Decimal("NaN"), True, "100"]
)
def test_check_parcel_bad_area(area):
    assert codes(r.check_parcel(area, 12, 3)) == [("area_not_positive", "error")]


@pytest.mark.parametrize("number", [0, -5, None, 1.0, True, "12"])
def test_check_parcel_bad_parcel_number(number):
    issues = r.check_parcel(100, number, 3)
    assert codes(issues) == [("parcel_number_invalid", "error")]
    assert issues[0].field == "parcel_number"


@pytest.mark.parametrize("sheet", [0, -1, None, 2.5, False])
def test_check_parcel_bad_map_sheet(sheet):
    issues = r.check_parcel(100, 12, sheet)
    assert codes(issues) == [("map_sheet_invalid", "error")]
    assert issues[0].field == "map_sheet"


def test_check_parcel_smallest_valid_numbers():
    assert r.check_parcel(100, 1, 1) == []


def test_check_parcel_all_wrong():
    assert [i.code for i in r.check_parcel(0, 0, 0)] == [
        "area_not_positive",
        "parcel_number_invalid",
        "map_sheet_invalid",
    ]


# --- change registration ---------------------------------------------------------------------------------------


def test_change_day_30_on_time_day_31_late():
    change = date(2025, 3, 1)
    assert not r.is_late_change_registration(change, change)
    assert not r.is_late_change_registration(change, date(2025, 3, 31))  # day 30
    assert r.is_late_change_registration(change, date(2025, 4, 1))  # day 31


def test_check_change_on_time():
    assert r.check_change(date(2025, 3, 1), date(2025, 3, 31)) == []


def test_check_change_late_warning():
    issues = r.check_change(date(2025, 3, 1), date(2025, 4, 1))
    assert codes(issues) == [("late_change_registration", "warning")]
    assert "quá 30 ngày" in str(issues[0].message)


def test_check_change_future_error():
    issues = r.check_change(date(2025, 3, 2), date(2025, 3, 1))
    assert codes(issues) == [("change_date_in_future", "error")]
    assert issues[0].field == "change_date"


# --- public posting --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 3, 1), date(2025, 3, 16)),
        (date(2025, 12, 20), date(2026, 1, 4)),  # across the year, calendar days
        (date(2024, 2, 20), date(2024, 3, 6)),  # leap February
        (date(2025, 2, 20), date(2025, 3, 7)),
    ],
)
def test_posting_ends_on(start, end):
    assert r.posting_ends_on(start) == end
