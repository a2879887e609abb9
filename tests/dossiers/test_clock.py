"""Tests for the deadline clock (core.dossiers.clock): examples, bad input and properties."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.dossiers.clock import (
    VN_TZ,
    OfficeHours,
    TimeLimit,
    WorkCalendar,
    classify_completion,
    compute_due_at,
    is_overdue,
    reschedule_due_at,
    resume_due_at,
)

# The examples below state due moments at the hour of reception ("same_hour"); the Civil Code default
# ("close_of_day", LAW-07) has its own section further down.
CAL = WorkCalendar(deadline_end="same_hour")
CLOSE = WorkCalendar()
PLAIN = WorkCalendar(country_holidays=False, deadline_end="same_hour")
ONE_DAY = TimeLimit(1, "working_days")
SAME_DAY = TimeLimit(0, "same_day")


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)


# Calendar reference (2026): Mon 2 Mar, Fri 6 Mar, Sat 7 Mar, Sun 8 Mar, Mon 9 Mar.
# Tết 2026: Mon 16 - Fri 20 Feb off; Fri 13 Feb and Mon 23 Feb are working days.


# --------------------------------------------------------------------------- OfficeHours


def test_default_office_hours():
    hours = OfficeHours()
    assert hours.periods == ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
    assert hours.weekdays == frozenset({0, 1, 2, 3, 4})
    assert hours.day_minutes() == 450
    assert hours.to_spec() == "07:30-11:30,13:30-17:00"


@pytest.mark.parametrize("spec", [None, "", "   "])
def test_parse_empty_gives_default(spec):
    assert OfficeHours.parse(spec) == OfficeHours()


def test_parse_round_trip_and_whitespace():
    hours = OfficeHours.parse(" 7:00-11:00 , 13:00-16:30 ")
    assert hours.periods == ((time(7, 0), time(11, 0)), (time(13, 0), time(16, 30)))
    assert hours.day_minutes() == 240 + 210
    assert hours.to_spec() == "07:00-11:00,13:00-16:30"
    assert OfficeHours.parse(hours.to_spec()) == hours


def test_parse_single_period():
    hours = OfficeHours.parse("08:00-12:00")
    assert hours.day_minutes() == 240
    assert hours.to_spec() == "08:00-12:00"


@pytest.mark.parametrize(
    "spec",
    [
        "abc",
        "07:30",
        "07:30-11:30,",
        ",07:30-11:30",
        "07:30-11:30-12:00",
        "11:30-07:30",
        "07:30-07:30",
        "07:30-12:00,11:00-17:00",
        "13:30-17:00,07:30-11:30",
        "25:00-26:00",
        "07:60-08:00",
        "7h30-11h30",
        "07:30:00-11:30:00",
        "24:00-24:30",
    ],
)
def test_parse_rejects_bad_spec(spec):
    with pytest.raises(ValueError):
        OfficeHours.parse(spec)


def test_parse_rejects_non_string():
    with pytest.raises(ValueError):
        OfficeHours.parse(730)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"periods": ()},
        {"weekdays": frozenset()},
        {"weekdays": frozenset({7})},
        {"weekdays": frozenset({-1})},
        {"weekdays": frozenset({True})},
        {"periods": ((time(7, 30, 15), time(11, 30)),)},
        {"periods": ((time(7, 30), "11:30"),)},
        {"periods": ((time(7, 30, tzinfo=UTC), time(11, 30, tzinfo=UTC)),)},
        {"periods": ((time(7, 30),),)},
    ],
)
def test_office_hours_constructor_validates(kwargs):
    with pytest.raises(ValueError):
        OfficeHours(**kwargs)


def test_office_hours_normalises_lists_and_is_hashable():
    hours = OfficeHours(periods=[(time(8), time(12))], weekdays={0, 1, 2, 3, 4, 5})  # type: ignore[arg-type]
    assert hours.periods == ((time(8), time(12)),)
    assert hours.weekdays == frozenset(range(6))
    assert hash(hours) == hash(OfficeHours(periods=((time(8), time(12)),), weekdays=frozenset(range(6))))


# --------------------------------------------------------------------------- TimeLimit


@pytest.mark.parametrize(
    "value, unit",
    [
        (1, "days"),
        (1, "calendar_days"),
        (-1, "working_days"),
        (-0.5, "working_hours"),
        (float("nan"), "working_days"),
        (float("inf"), "working_days"),
        ("abc", "working_days"),
        (None, "working_days"),
        (True, "working_days"),
    ],
)
def test_time_limit_rejects_bad_values(value, unit):
    with pytest.raises(ValueError):
        TimeLimit(value, unit)


def test_time_limit_rejects_bad_cutoff():
    with pytest.raises(ValueError):
        TimeLimit(0, "same_day", cutoff="15:00")  # type: ignore[arg-type]


def test_time_limit_cutoff_default_and_decimal_value():
    assert SAME_DAY.effective_cutoff == time(15, 0)
    assert TimeLimit(0, "same_day", cutoff=time(11)).effective_cutoff == time(11)
    limit = TimeLimit(Decimal("0.5"), "working_days")  # Numeric columns come back as Decimal
    assert compute_due_at(vn(2026, 3, 2, 7, 30), limit, CAL) == vn(2026, 3, 2, 11, 15)


# --------------------------------------------------------------------------- working days


def test_weekdays_and_weekend():
    assert CAL.is_working_day(date(2026, 3, 2))
    assert CAL.is_working_day(date(2026, 3, 6))
    assert not CAL.is_working_day(date(2026, 3, 7))
    assert not CAL.is_working_day(date(2026, 3, 8))


def test_tet_2026_is_off():
    for day in range(16, 21):
        assert not CAL.is_working_day(date(2026, 2, day)), day
        assert PLAIN.is_working_day(date(2026, 2, day)), day
    assert CAL.is_working_day(date(2026, 2, 13))
    assert CAL.is_working_day(date(2026, 2, 23))
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_other_public_holidays():
    assert not CAL.is_working_day(date(2026, 1, 1))
    assert not CAL.is_working_day(date(2026, 4, 27))  # Hùng Kings' day observed (26/4 is a Sunday)
    assert not CAL.is_working_day(date(2026, 4, 30))
    assert not CAL.is_working_day(date(2026, 5, 1))
    assert not CAL.is_working_day(date(2026, 9, 2))


def test_package_make_up_saturday_is_working():
    # 2025: Friday 2/5 off, made up on Saturday 26/4; 2026: Monday 31/8 off, made up on Saturday 22/8.
    assert CAL.is_working_day(date(2025, 4, 26))
    assert not CAL.is_working_day(date(2025, 5, 2))
    assert CAL.is_working_day(date(2026, 8, 22))
    assert not CAL.is_working_day(date(2026, 8, 31))
    assert not PLAIN.is_working_day(date(2025, 4, 26))
    assert PLAIN.is_working_day(date(2025, 5, 2))


def test_make_up_across_new_year():
    # 31/12/2018 off, made up on Saturday 05/01/2019.
    assert not CAL.is_working_day(date(2018, 12, 31))
    assert CAL.is_working_day(date(2019, 1, 5))


def test_extra_make_up_saturday_moves_due():
    cal = WorkCalendar(working_days=[date(2026, 3, 7)], deadline_end="same_hour")
    assert cal.is_working_day(date(2026, 3, 7))
    received = vn(2026, 3, 6, 16, 0)  # Friday, 60 minutes left today
    assert compute_due_at(received, ONE_DAY, cal) == vn(2026, 3, 7, 16, 0)
    assert compute_due_at(received, ONE_DAY, CAL) == vn(2026, 3, 9, 16, 0)


def test_extra_make_up_day_overrides_public_holiday():
    cal = WorkCalendar(working_days=[date(2026, 2, 16)])
    assert cal.is_working_day(date(2026, 2, 16))


def test_extra_day_off_removes_a_day():
    cal = WorkCalendar(days_off=[date(2026, 3, 3)], deadline_end="same_hour")
    assert not cal.is_working_day(date(2026, 3, 3))
    received = vn(2026, 3, 2, 7, 30)
    assert compute_due_at(received, TimeLimit(2, "working_days"), CAL) == vn(2026, 3, 3, 17, 0)
    assert compute_due_at(received, TimeLimit(2, "working_days"), cal) == vn(2026, 3, 4, 17, 0)


def test_day_off_wins_over_make_up_day():
    cal = WorkCalendar(days_off=[date(2026, 3, 7)], working_days=[date(2026, 3, 7)])
    assert not cal.is_working_day(date(2026, 3, 7))


def test_calendar_rejects_datetimes_in_day_lists():
    with pytest.raises(TypeError):
        WorkCalendar(days_off=[vn(2026, 3, 3)])
    with pytest.raises(TypeError):
        WorkCalendar(working_days=["2026-03-07"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        WorkCalendar(office_hours="07:30-11:30")  # type: ignore[arg-type]


def test_calendar_without_any_working_day_fails_loudly():
    cal = WorkCalendar(days_off=[date(2026, 3, 3) + timedelta(days=i) for i in range(4000)])
    with pytest.raises(ValueError):
        cal.next_working_day(date(2026, 3, 2))


def test_next_working_day_and_close_of_day():
    assert CAL.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)
    assert CAL.next_working_day(date(2026, 3, 7)) == date(2026, 3, 9)
    assert CAL.next_working_day(date(2026, 3, 2)) == date(2026, 3, 3)
    assert CAL.next_working_day(vn(2026, 3, 6, 23, 59)) == date(2026, 3, 9)
    assert CAL.close_of_day(date(2026, 3, 2)) == vn(2026, 3, 2, 17, 0)
    assert CAL.close_of_day(date(2026, 3, 2)).tzinfo is VN_TZ
    short = WorkCalendar(OfficeHours.parse("08:00-12:00"))
    assert short.close_of_day(date(2026, 3, 2)) == vn(2026, 3, 2, 12, 0)


# --------------------------------------------------------------------------- moments


@pytest.mark.parametrize(
    "moment, expected",
    [
        (vn(2026, 3, 2, 7, 29, 59), False),
        (vn(2026, 3, 2, 7, 30), True),
        (vn(2026, 3, 2, 11, 29, 59), True),
        (vn(2026, 3, 2, 11, 30), False),
        (vn(2026, 3, 2, 12, 0), False),
        (vn(2026, 3, 2, 13, 30), True),
        (vn(2026, 3, 2, 16, 59), True),
        (vn(2026, 3, 2, 17, 0), False),
        (vn(2026, 3, 7, 9, 0), False),
        (vn(2026, 2, 17, 9, 0), False),
        (datetime(2026, 3, 2, 0, 30, tzinfo=UTC), True),  # 07:30 in Vietnam
        (datetime(2026, 3, 2, 10, 0, tzinfo=UTC), False),  # 17:00 in Vietnam
    ],
)
def test_is_working_moment(moment, expected):
    assert CAL.is_working_moment(moment) is expected


@pytest.mark.parametrize(
    "moment, expected",
    [
        (vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 9, 0)),
        (vn(2026, 3, 2, 6, 0), vn(2026, 3, 2, 7, 30)),
        (vn(2026, 3, 2, 11, 30), vn(2026, 3, 2, 13, 30)),
        (vn(2026, 3, 2, 12, 15), vn(2026, 3, 2, 13, 30)),
        (vn(2026, 3, 2, 17, 0), vn(2026, 3, 3, 7, 30)),
        (vn(2026, 3, 6, 18, 0), vn(2026, 3, 9, 7, 30)),
        (vn(2026, 3, 8, 10, 0), vn(2026, 3, 9, 7, 30)),
        (vn(2026, 2, 13, 17, 30), vn(2026, 2, 23, 7, 30)),
    ],
)
def test_next_working_moment(moment, expected):
    result = CAL.next_working_moment(moment)
    assert result == expected
    assert result.tzinfo is VN_TZ


def test_outputs_are_in_vietnam_time_even_for_utc_input():
    received = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 07:30 in Vietnam
    due = compute_due_at(received, ONE_DAY, CAL)
    assert due.tzinfo is VN_TZ
    assert (due.hour, due.minute, due.date()) == (17, 0, date(2026, 3, 2))


# --------------------------------------------------------------------------- due dates


@pytest.mark.parametrize(
    "received, limit, expected",
    [
        # End-of-period convention.
        (vn(2026, 3, 2, 7, 30), ONE_DAY, vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 7, 30), TimeLimit(4, "working_hours"), vn(2026, 3, 2, 11, 30)),
        (vn(2026, 3, 2, 7, 30), TimeLimit(2, "working_days"), vn(2026, 3, 3, 17, 0)),
        # Mid-morning reception: the day wraps to the next morning.
        (vn(2026, 3, 2, 9, 0), ONE_DAY, vn(2026, 3, 3, 9, 0)),
        # After hours, at lunch, on the period boundary, on Sunday, before opening.
        (vn(2026, 3, 2, 18, 0), ONE_DAY, vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 2, 12, 0), TimeLimit(0.5, "working_days"), vn(2026, 3, 3, 7, 45)),
        (vn(2026, 3, 2, 11, 30), TimeLimit(1, "working_hours"), vn(2026, 3, 2, 14, 30)),
        (vn(2026, 3, 8, 10, 0), ONE_DAY, vn(2026, 3, 9, 17, 0)),
        (vn(2026, 3, 2, 5, 0), ONE_DAY, vn(2026, 3, 2, 17, 0)),
        # Friday afternoon over the weekend.
        (vn(2026, 3, 6, 16, 0), ONE_DAY, vn(2026, 3, 9, 16, 0)),
        # Fractional days and hours.
        (vn(2026, 3, 2, 7, 30), TimeLimit(0.5, "working_days"), vn(2026, 3, 2, 11, 15)),
        (vn(2026, 3, 2, 7, 30), TimeLimit(1.5, "working_days"), vn(2026, 3, 3, 11, 15)),
        (vn(2026, 3, 2, 10, 0), TimeLimit(2.5, "working_hours"), vn(2026, 3, 2, 14, 30)),
        (vn(2026, 3, 2, 7, 30), TimeLimit(8, "working_hours"), vn(2026, 3, 3, 8, 0)),
        # Zero limit: the next working moment.
        (vn(2026, 3, 7, 10, 0), TimeLimit(0, "working_days"), vn(2026, 3, 9, 7, 30)),
        # Tết 2026.
        (vn(2026, 2, 13, 9, 0), ONE_DAY, vn(2026, 2, 23, 9, 0)),
        (vn(2026, 2, 17, 9, 0), ONE_DAY, vn(2026, 2, 23, 17, 0)),
        (vn(2026, 2, 12, 7, 30), TimeLimit(3, "working_days"), vn(2026, 2, 23, 17, 0)),
        (vn(2026, 2, 12, 7, 30), TimeLimit(4, "working_days"), vn(2026, 2, 24, 17, 0)),
        # A long span: 30 working days from Monday 2/3/2026 ends on Friday 10/4/2026
        # (March has 22 working days; 1-10 April has 8, none of them holidays).
        (vn(2026, 3, 2, 7, 30), TimeLimit(30, "working_days"), vn(2026, 4, 10, 17, 0)),
    ],
)
def test_compute_due_at(received, limit, expected):
    assert compute_due_at(received, limit, CAL) == expected


def test_custom_hours_with_saturday_morning():
    hours = OfficeHours(periods=((time(8), time(12)),), weekdays=frozenset(range(6)))
    cal = WorkCalendar(hours, country_holidays=False, deadline_end="same_hour")
    assert cal.office_hours.day_minutes() == 240
    assert compute_due_at(vn(2026, 3, 7, 8, 0), ONE_DAY, cal) == vn(2026, 3, 7, 12, 0)
    assert compute_due_at(vn(2026, 3, 7, 10, 0), ONE_DAY, cal) == vn(2026, 3, 9, 10, 0)


@pytest.mark.parametrize(
    "received, expected",
    [
        (vn(2026, 3, 2, 14, 59), vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 15, 0), vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 15, 0, 1), vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 2, 15, 1), vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 2, 16, 59), vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 2, 6, 0), vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 12, 0), vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 18, 0), vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 6, 15, 1), vn(2026, 3, 9, 17, 0)),
        (vn(2026, 3, 8, 16, 0), vn(2026, 3, 9, 17, 0)),
        (vn(2026, 2, 13, 15, 30), vn(2026, 2, 23, 17, 0)),
        (vn(2026, 2, 18, 9, 0), vn(2026, 2, 23, 17, 0)),
    ],
)
def test_same_day_cutoff(received, expected):
    assert compute_due_at(received, SAME_DAY, CAL) == expected


def test_same_day_custom_cutoff():
    limit = TimeLimit(0, "same_day", cutoff=time(11, 0))
    assert compute_due_at(vn(2026, 3, 2, 10, 59), limit, CAL) == vn(2026, 3, 2, 17, 0)
    assert compute_due_at(vn(2026, 3, 2, 11, 1), limit, CAL) == vn(2026, 3, 2, 17, 0) + timedelta(days=1)


# --------------------------------------------------------------------------- measuring


@pytest.mark.parametrize(
    "start, end, minutes",
    [
        (vn(2026, 3, 2, 7, 30), vn(2026, 3, 2, 17, 0), 450),
        (vn(2026, 3, 2, 0, 0), vn(2026, 3, 3, 0, 0), 450),
        (vn(2026, 3, 2, 11, 0), vn(2026, 3, 2, 14, 0), 60),
        (vn(2026, 3, 2, 12, 0), vn(2026, 3, 2, 13, 0), 0),
        (vn(2026, 3, 6, 16, 0), vn(2026, 3, 9, 8, 30), 120),
        (vn(2026, 3, 9, 8, 30), vn(2026, 3, 6, 16, 0), 0),
        (vn(2026, 3, 2, 9, 0), vn(2026, 3, 2, 9, 0), 0),
        (vn(2026, 2, 13, 7, 30), vn(2026, 2, 23, 7, 30), 450),
        (vn(2026, 3, 2, 7, 30), vn(2026, 3, 2, 7, 30, 30), 0.5),
        (vn(2026, 3, 2, 7, 30), vn(2026, 4, 11, 0, 0), 30 * 450),
    ],
)
def test_working_minutes_between(start, end, minutes):
    assert CAL.working_minutes_between(start, end) == minutes


def test_working_days_between_is_signed():
    monday, wednesday = vn(2026, 3, 2, 7, 30), vn(2026, 3, 4, 7, 30)
    assert CAL.working_days_between(monday, wednesday) == 2.0
    assert CAL.working_days_between(wednesday, monday) == -2.0
    assert CAL.working_days_between(monday, vn(2026, 3, 2, 11, 15)) == 0.5
    assert CAL.working_days_between(monday, monday) == 0.0
    # Days left shown on a dossier due Monday after Tết, seen on Friday before it.
    assert CAL.working_days_between(vn(2026, 2, 13, 7, 30), vn(2026, 2, 23, 17, 0)) == 2.0


def test_add_working_minutes_rejects_bad_minutes():
    for bad in (-1, -0.001, float("nan"), float("inf"), "ten"):
        with pytest.raises(ValueError):
            CAL.add_working_minutes(vn(2026, 3, 2, 9), bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- pauses


def test_pause_resume_across_weekend():
    due = compute_due_at(vn(2026, 3, 5, 7, 30), TimeLimit(2, "working_days"), CAL)
    assert due == vn(2026, 3, 6, 17, 0)
    paused = vn(2026, 3, 6, 16, 0)  # 60 working minutes left
    assert resume_due_at(due, paused, vn(2026, 3, 9, 9, 0), CAL) == vn(2026, 3, 9, 10, 0)
    assert resume_due_at(due, paused, vn(2026, 3, 8, 15, 0), CAL) == vn(2026, 3, 9, 8, 30)
    assert resume_due_at(due, paused, vn(2026, 3, 6, 16, 30), CAL) == vn(2026, 3, 9, 8, 0)


def test_pause_during_lunch_and_across_tet():
    due = vn(2026, 2, 13, 17, 0)
    assert resume_due_at(due, vn(2026, 2, 13, 12, 0), vn(2026, 2, 23, 7, 30), CAL) == vn(2026, 2, 23, 11, 0)


def test_zero_length_pause_keeps_due():
    due = vn(2026, 3, 6, 17, 0)
    paused = vn(2026, 3, 6, 9, 0)
    assert resume_due_at(due, paused, paused, CAL) == due


def test_pause_after_due_keeps_due():
    due = vn(2026, 3, 6, 17, 0)
    assert resume_due_at(due, vn(2026, 3, 9, 9, 0), vn(2026, 3, 12, 9, 0), CAL) == due
    assert resume_due_at(due, due, vn(2026, 3, 12, 9, 0), CAL) == due


def test_resume_before_pause_is_rejected():
    with pytest.raises(ValueError):
        resume_due_at(vn(2026, 3, 6, 17), vn(2026, 3, 6, 10), vn(2026, 3, 6, 9), CAL)


# --------------------------------------------------------------------------- classification


@pytest.mark.parametrize(
    "finished, expected",
    [
        (vn(2026, 3, 3, 16, 59), "early"),
        (vn(2026, 3, 3, 23, 59, 59), "early"),
        (vn(2026, 3, 4, 0, 0), "on_time"),
        (vn(2026, 3, 4, 8, 0), "on_time"),
        (vn(2026, 3, 4, 16, 59), "on_time"),
        (vn(2026, 3, 4, 17, 0), "on_time"),
        (vn(2026, 3, 4, 17, 0, 1), "late"),
        (vn(2026, 3, 4, 17, 1), "late"),
        (vn(2026, 3, 5, 8, 0), "late"),
        (datetime(2026, 3, 3, 16, 59, tzinfo=UTC), "early"),  # Tue 23:59 in Vietnam
        (datetime(2026, 3, 3, 17, 30, tzinfo=UTC), "on_time"),  # Wed 00:30 in Vietnam
    ],
)
def test_classify_completion(finished, expected):
    assert classify_completion(finished, vn(2026, 3, 4, 17, 0)) == expected


def test_classify_with_morning_due():
    due = vn(2026, 3, 4, 11, 15)
    assert classify_completion(vn(2026, 3, 4, 8, 0), due) == "on_time"
    assert classify_completion(vn(2026, 3, 3, 16, 0), due) == "early"
    assert classify_completion(vn(2026, 3, 4, 11, 16), due) == "late"


def test_is_overdue():
    due = vn(2026, 3, 4, 17, 0)
    assert not is_overdue(due, due)
    assert not is_overdue(due - timedelta(microseconds=1), due)
    assert is_overdue(due + timedelta(microseconds=1), due)
    assert is_overdue(datetime(2026, 3, 4, 10, 1, tzinfo=UTC), due)


# --------------------------------------------------------------------------- naive input

NAIVE = datetime(2026, 3, 2, 9, 0)
AWARE = vn(2026, 3, 2, 9, 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.is_working_moment(NAIVE),
        lambda: CAL.next_working_moment(NAIVE),
        lambda: CAL.add_working_minutes(NAIVE, 10),
        lambda: CAL.working_minutes_between(NAIVE, AWARE),
        lambda: CAL.working_minutes_between(AWARE, NAIVE),
        lambda: CAL.working_days_between(NAIVE, AWARE),
        lambda: CAL.next_working_day(NAIVE),
        lambda: CAL.close_of_day(NAIVE),
        lambda: compute_due_at(NAIVE, ONE_DAY, CAL),
        lambda: compute_due_at(NAIVE, SAME_DAY, CAL),
        lambda: resume_due_at(NAIVE, AWARE, AWARE, CAL),
        lambda: resume_due_at(AWARE, NAIVE, AWARE, CAL),
        lambda: resume_due_at(AWARE, AWARE, NAIVE, CAL),
        lambda: classify_completion(NAIVE, AWARE),
        lambda: classify_completion(AWARE, NAIVE),
        lambda: is_overdue(NAIVE, AWARE),
        lambda: is_overdue(AWARE, NAIVE),
    ],
)
def test_naive_datetimes_are_rejected(call):
    with pytest.raises(ValueError):
        call()


def test_non_datetime_moment_is_rejected():
    with pytest.raises(TypeError):
        CAL.is_working_moment(date(2026, 3, 2))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- properties

TIMEZONES = [VN_TZ, UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")]
moments = st.datetimes(
    min_value=datetime(2024, 12, 1),
    max_value=datetime(2027, 1, 31),
    timezones=st.sampled_from(TIMEZONES),
    allow_imaginary=False,
)
minute_moments = moments.map(lambda m: m.replace(second=0, microsecond=0))
days_in_range = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def office_hours(draw) -> OfficeHours:
    bounds = sorted(draw(st.sets(st.integers(0, 23 * 60 + 59), min_size=2, max_size=6)))
    if len(bounds) % 2:
        bounds = bounds[:-1]
    periods = tuple(
        (time(*divmod(bounds[i], 60)), time(*divmod(bounds[i + 1], 60))) for i in range(0, len(bounds), 2)
    )
    weekdays = draw(st.frozensets(st.integers(0, 6), min_size=1))
    return OfficeHours(periods=periods, weekdays=weekdays)


@st.composite
def calendars(draw) -> WorkCalendar:
    if draw(st.booleans()):
        return CAL
    return WorkCalendar(
        office_hours=draw(st.one_of(st.just(OfficeHours()), office_hours())),
        days_off=draw(st.lists(days_in_range, max_size=20)),
        working_days=draw(st.lists(days_in_range, max_size=10)),
        country_holidays=draw(st.booleans()),
        deadline_end=draw(st.sampled_from(("close_of_day", "same_hour"))),
    )


limits = st.one_of(
    st.builds(TimeLimit, st.floats(0, 40, allow_nan=False), st.just("working_days")),
    st.builds(TimeLimit, st.floats(0, 200, allow_nan=False), st.just("working_hours")),
    st.builds(
        TimeLimit,
        st.just(0),
        st.just("same_day"),
        st.one_of(st.none(), st.times()),
    ),
)


def is_period_end(cal: WorkCalendar, moment: datetime) -> bool:
    local = moment.astimezone(VN_TZ)
    return cal.is_working_day(local.date()) and any(
        local.time() == end for _, end in cal.office_hours.periods
    )


@settings(deadline=None)
@given(cal=calendars(), start=moments, minutes=st.integers(0, 60 * 450))
def test_add_then_measure_round_trips_exactly(cal, start, minutes):
    end = cal.add_working_minutes(start, minutes)
    assert cal.working_minutes_between(start, end) == minutes
    working_start = cal.next_working_moment(start)
    assert cal.working_minutes_between(working_start, cal.add_working_minutes(working_start, minutes)) == minutes


@settings(deadline=None)
@given(cal=calendars(), start=moments, micros=st.integers(0, 30 * 450 * 60_000_000))
def test_working_time_durations_round_trip_to_the_microsecond(cal, start, micros):
    """The public exact-duration pair used by pauses and calendar changes (CODE-06)."""
    duration = timedelta(microseconds=micros)
    end = cal.add_working_time(start, duration)
    assert cal.working_time_between(start, end) == duration
    assert abs(end - cal.add_working_minutes(start, micros / 60_000_000)) <= timedelta(microseconds=1)


@settings(deadline=None)
@given(cal=calendars(), start=moments, minutes=st.floats(0, 5000, allow_nan=False))
def test_add_then_measure_round_trips_fractional(cal, start, minutes):
    end = cal.add_working_minutes(start, minutes)
    assert math.isclose(cal.working_minutes_between(start, end), minutes, abs_tol=1e-6)


@settings(deadline=None)
@given(cal=calendars(), start=moments, minutes=st.integers(0, 30 * 450))
def test_add_result_is_working_moment_or_period_end_and_earliest(cal, start, minutes):
    end = cal.add_working_minutes(start, minutes)
    assert end.tzinfo is VN_TZ
    assert end >= start
    assert cal.is_working_moment(end) or is_period_end(cal, end)
    if minutes == 0:
        assert end == cal.next_working_moment(start)
    else:
        assert cal.working_minutes_between(start, end - timedelta(microseconds=1)) < minutes


@settings(deadline=None)
@given(cal=calendars(), start=moments, a=st.integers(0, 20 * 450), b=st.integers(0, 20 * 450))
def test_add_is_monotonic_in_minutes(cal, start, a, b):
    low, high = sorted((a, b))
    assert cal.add_working_minutes(start, low) <= cal.add_working_minutes(start, high)


@settings(deadline=None)
@given(cal=calendars(), a=moments, b=moments, limit=limits)
def test_due_is_monotonic_in_received_at(cal, a, b, limit):
    first, second = sorted((a, b))
    due_first = compute_due_at(first, limit, cal)
    due_second = compute_due_at(second, limit, cal)
    assert due_first <= due_second
    assert due_first >= cal.next_working_moment(first)
    assert cal.is_working_moment(due_first) or is_period_end(cal, due_first)


@settings(deadline=None)
@given(cal=calendars(), received=moments)
def test_same_day_due_is_a_close_of_working_day(cal, received):
    due = compute_due_at(received, SAME_DAY, cal)
    local = due.astimezone(VN_TZ)
    assert cal.is_working_day(local.date())
    assert due == cal.close_of_day(local.date())
    start = cal.next_working_moment(received)
    assert local.date() in (start.date(), cal.next_working_day(start.date()))


@settings(deadline=None)
@given(cal=calendars(), a=moments, b=moments, c=moments)
def test_between_is_additive_and_days_antisymmetric(cal, a, b, c):
    first, middle, last = sorted((a, b, c))
    total = cal.working_minutes_between(first, last)
    parts = cal.working_minutes_between(first, middle) + cal.working_minutes_between(middle, last)
    assert math.isclose(total, parts, abs_tol=1e-6)
    assert cal.working_minutes_between(last, first) == 0
    assert cal.working_days_between(a, b) == -cal.working_days_between(b, a)
    assert math.isclose(
        cal.working_days_between(first, last) * cal.office_hours.day_minutes(), total, abs_tol=1e-6
    )


def _minute_walk_add(cal: WorkCalendar, start: datetime, minutes: int) -> datetime:
    """Slow oracle: step one minute at a time over a minute-aligned start.

    Steps in UTC: adding a timedelta to an aware datetime is wall-clock arithmetic, which
    would be wrong across a DST change of the input's own zone (e.g. Europe/Paris).
    """
    moment, counted = start.astimezone(UTC), 0
    while counted < minutes:
        if cal.is_working_moment(moment):
            counted += 1
        moment += timedelta(minutes=1)
    return moment


@settings(deadline=None, max_examples=60)
@given(cal=calendars(), start=minute_moments, minutes=st.integers(1, 1500))
def test_add_matches_minute_walk_oracle(cal, start, minutes):
    assert cal.add_working_minutes(start, minutes) == _minute_walk_add(cal, start, minutes)


@settings(deadline=None, max_examples=60)
@given(cal=calendars(), start=minute_moments, span=st.integers(0, 4 * 24 * 60))
def test_between_matches_minute_count_oracle(cal, start, span):
    start = start.astimezone(UTC)  # absolute steps, see _minute_walk_add
    expected = sum(cal.is_working_moment(start + timedelta(minutes=i)) for i in range(span))
    assert cal.working_minutes_between(start, start + timedelta(minutes=span)) == expected


@settings(deadline=None)
@given(hours=office_hours())
def test_spec_round_trips(hours):
    parsed = OfficeHours.parse(hours.to_spec())
    assert parsed.periods == hours.periods
    assert parsed.day_minutes() == hours.day_minutes()


@settings(deadline=None)
@given(
    cal=calendars(),
    received=moments,
    limit=limits,
    pause=st.integers(0, 10 * 450),
    gap=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
)
def test_pause_never_shortens_and_preserves_remaining(cal, received, limit, pause, gap):
    due = compute_due_at(received, limit, cal)
    paused = cal.add_working_minutes(received, pause)
    resumed = paused + gap
    new_due = resume_due_at(due, paused, resumed, cal, limit.unit)
    assert new_due >= due
    assert resume_due_at(due, paused, paused, cal, limit.unit) == due
    if paused < due:
        remaining = cal.working_minutes_between(paused, due)
        exact = cal.add_working_minutes(resumed, remaining)
        if cal.deadline_end == "same_hour" or limit.unit == "working_hours":
            assert new_due == exact
            assert math.isclose(
                cal.working_minutes_between(cal.next_working_moment(resumed), new_due), remaining, abs_tol=1e-6
            )
        else:  # the remaining time, then the close of that day
            local = exact.astimezone(VN_TZ)
            assert new_due == max(exact, cal.close_of_day(local.date()))
            assert cal.working_minutes_between(cal.next_working_moment(resumed), new_due) >= remaining - 1e-6
    else:
        assert new_due == due


@settings(deadline=None)
@given(finished=moments, due=moments)
def test_classification_agrees_with_overdue(finished, due):
    result = classify_completion(finished, due)
    assert result in {"early", "on_time", "late"}
    assert (result == "late") is is_overdue(finished, due)
    if result == "early":
        assert finished.astimezone(VN_TZ).date() < due.astimezone(VN_TZ).date()
    if result == "on_time":
        assert finished.astimezone(VN_TZ).date() == due.astimezone(VN_TZ).date()



# --------------------------------------------------------------------------- deadline_end = close_of_day (LAW-07)
# Civil Code 2015 Art. 147(2): the first day of a period in days is not counted; Art. 148(1): the period ends at the
# end of its last day. Here: at the close of the office day.


@pytest.mark.parametrize(
    "received, limit, expected",
    [
        # The finding's example: Monday 09:00 with 3 days ends Thursday at the close, not Thursday 09:00.
        (vn(2026, 3, 2, 9, 0), TimeLimit(3, "working_days"), vn(2026, 3, 5, 17, 0)),
        # The reception day is not counted, whatever the hour: 07:30, before opening, after closing, Sunday.
        (vn(2026, 3, 2, 7, 30), ONE_DAY, vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 2, 5, 0), ONE_DAY, vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 2, 18, 0), ONE_DAY, vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 8, 10, 0), ONE_DAY, vn(2026, 3, 9, 17, 0)),
        # Over the weekend and over Tết 2026 (16-20/2 off).
        (vn(2026, 3, 6, 16, 0), ONE_DAY, vn(2026, 3, 9, 17, 0)),
        (vn(2026, 2, 13, 9, 0), ONE_DAY, vn(2026, 2, 23, 17, 0)),
        (vn(2026, 2, 12, 7, 30), TimeLimit(3, "working_days"), vn(2026, 2, 24, 17, 0)),
        # 30 working days from Monday 2/3/2026: the 30th working day after it is Monday 13/4.
        (vn(2026, 3, 2, 7, 30), TimeLimit(30, "working_days"), vn(2026, 4, 13, 17, 0)),
        # A fractional limit: its working time, then the close of that day.
        (vn(2026, 3, 2, 7, 30), TimeLimit(0.5, "working_days"), vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 12, 0), TimeLimit(0.5, "working_days"), vn(2026, 3, 3, 17, 0)),
        # Not affected: hours, same day (15:00 cut-off), a zero limit.
        (vn(2026, 3, 2, 10, 0), TimeLimit(2.5, "working_hours"), vn(2026, 3, 2, 14, 30)),
        (vn(2026, 3, 2, 15, 0), SAME_DAY, vn(2026, 3, 2, 17, 0)),
        (vn(2026, 3, 2, 15, 1), SAME_DAY, vn(2026, 3, 3, 17, 0)),
        (vn(2026, 3, 7, 10, 0), TimeLimit(0, "working_days"), vn(2026, 3, 9, 7, 30)),
    ],
)
def test_close_of_day_due_dates(received, limit, expected):
    assert compute_due_at(received, limit, CLOSE) == expected


def test_close_of_day_follows_the_units_office_hours():
    # Office hours 07:00-11:30, 13:00-16:30: received Monday 16:45 with 3 days -> Thursday at 16:30.
    cal = WorkCalendar(OfficeHours.parse("07:00-11:30,13:00-16:30"))
    assert compute_due_at(vn(2026, 3, 2, 16, 45), TimeLimit(3, "working_days"), cal) == vn(2026, 3, 5, 16, 30)
    assert compute_due_at(vn(2026, 3, 2, 15, 0), SAME_DAY, cal) == vn(2026, 3, 2, 16, 30)


def test_close_of_day_pause_resumes_to_a_close():
    due = compute_due_at(vn(2026, 3, 2, 9, 0), TimeLimit(3, "working_days"), CLOSE)
    assert due == vn(2026, 3, 5, 17, 0)
    # Paused Tuesday 10:00 (2 days 5 h left), resumed Friday 14:00: 3 h that day, Monday, Tuesday, 2 h of Wednesday.
    assert resume_due_at(due, vn(2026, 3, 3, 10, 0), vn(2026, 3, 6, 14, 0), CLOSE) == vn(2026, 3, 11, 17, 0)
    # Not for a limit in hours.
    assert resume_due_at(due, vn(2026, 3, 3, 10, 0), vn(2026, 3, 6, 14, 0), CLOSE, "working_hours") == \
        vn(2026, 3, 11, 9, 30)


def test_deadline_end_is_validated():
    with pytest.raises(ValueError):
        WorkCalendar(deadline_end="midnight")


def test_reschedule_moves_by_an_added_day_off_only_when_it_is_still_ahead():
    due = vn(2026, 3, 5, 17, 0)
    after = WorkCalendar(days_off=[date(2026, 3, 4)])
    # Wednesday becomes a day off while the dossier runs on Monday: due Friday instead of Thursday.
    assert reschedule_due_at(due, vn(2026, 3, 2, 10, 0), CLOSE, after) == vn(2026, 3, 6, 17, 0)
    # Seen from Thursday morning the day off is past: nothing changes.
    assert reschedule_due_at(due, vn(2026, 3, 5, 8, 0), CLOSE, after) == due
    # A make-up Saturday gives a day back.
    saturday = WorkCalendar(working_days=[date(2026, 3, 7)])
    assert reschedule_due_at(vn(2026, 3, 9, 17, 0), vn(2026, 3, 6, 9, 0), CLOSE, saturday) == vn(2026, 3, 7, 17, 0)
    # Past due: unchanged.
    assert reschedule_due_at(due, vn(2026, 3, 6, 9, 0), CLOSE, after) == due


def test_official_swap_missing_from_the_package_is_applied():
    # Official Dispatch 12729/VPCP-KGVX (25/12/2025): Friday 2/1/2026 off, made up on Saturday 10/1/2026 (LAW-09).
    assert not CAL.is_working_day(date(2026, 1, 2))
    assert CAL.is_working_day(date(2026, 1, 10))
    assert compute_due_at(vn(2025, 12, 31, 9, 0), ONE_DAY, CLOSE) == vn(2026, 1, 5, 17, 0)
