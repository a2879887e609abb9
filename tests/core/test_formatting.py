"""core.formatting: the one way numbers, money, percentages, moments and legal time limits are written."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from core import formatting as f
from core.plugins.types import ProcessingTime

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def vi(app):
    with app.test_request_context("/"):
        yield


@pytest.fixture
def en(app):
    with app.test_request_context("/?lang=en"):
        yield


@pytest.mark.parametrize("value,text", [(12345678, "12.345.678"), (1525.5, "1.525,5"), (1525.0, "1.525"),
                                        (0, "0"), (0.125, "0,125"), (None, "")])
def test_numbers_in_vietnamese(vi, value, text):
    assert f.number(value) == text


def test_numbers_follow_the_request_language(en):
    assert f.number(1525.5) == "1,525.5"
    assert f.percent(0.8765) == "87.65%"
    # An explicit locale wins: official Vietnamese papers group the Vietnamese way on an English page too.
    assert f.number(1525.5, locale="vi") == "1.525,5"


def test_numbers_outside_a_request_are_vietnamese(app):
    with app.app_context():
        assert f.number(12345678) == "12.345.678"
        assert f.money(8000) == "8.000 đồng"


@pytest.mark.parametrize("value,text", [(0.9851, "98,51%"), (1, "100,00%"), (0, "0,00%"), (None, "")])
def test_percentages(vi, value, text):
    assert f.percent(value) == text


@pytest.mark.parametrize("amount,text", [(0, "0 đồng"), (None, "0 đồng"), (8000, "8.000 đồng"),
                                         (1250000, "1.250.000 đồng")])
def test_money(vi, amount, text):
    assert f.money(amount) == text


def test_moments_and_days_are_in_vietnam_time(vi):
    utc = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)  # 00:30 on 03/03 in Hà Nội
    assert f.short_moment(utc) == "00:30 03/03/2026"
    assert f.short_moment("2026-03-03T00:30:00") == "00:30 03/03/2026"  # naive ISO text is Vietnam's time
    assert f.datetime_text(utc) == "00:30 ngày 03/03/2026"
    assert f.moment_text(utc) == "00 giờ 30 phút, ngày 03/03/2026"
    assert f.day_text(utc) == "03/03/2026" and f.day_text("2026-03-03") == "03/03/2026"
    assert f.day_text(date(2026, 1, 5)) == "05/01/2026"
    assert f.long_date(date(2026, 2, 3)) == "ngày 03 tháng 02 năm 2026"
    # Empty values give empty text; text that is not a date is shown as it is rather than failing the page.
    assert [f.short_moment(None), f.datetime_text(""), f.moment_text(None), f.day_text(None)] == ["", "", "", ""]
    assert f.day_text("chưa rõ") == "chưa rõ" and f.datetime_text("chưa rõ") == "chưa rõ"


@pytest.mark.parametrize("value,text", [(2.5, "2,5"), (3.0, "3"), (2.04, "2"), (12.96, "13")])
def test_days_left_are_written_to_one_decimal(vi, value, text):
    assert f.days_text(value) == text


SAME_DAY = "Trong ngày làm việc (tiếp nhận sau {} thì trả kết quả trong ngày làm việc tiếp theo)"


@pytest.mark.parametrize("pt,text", [
    (ProcessingTime(0, "same_day"), SAME_DAY.format("15 giờ")),
    (ProcessingTime(0, "same_day", time(16, 30)), SAME_DAY.format("16 giờ 30")),
    (ProcessingTime(3), "3 ngày làm việc"),
    (ProcessingTime(0.5), "0,5 ngày làm việc"),
    (ProcessingTime(4, "working_hours"), "4 giờ làm việc"),
])
def test_the_counter_portal_and_receipt_word_a_time_limit_the_same(vi, pt, text):
    cutoff = pt.cutoff.strftime("%H:%M") if pt.cutoff else ""
    assert f.processing_time_text(pt) == text == f.time_limit_text(pt.value, pt.unit, cutoff)


def test_time_limits_in_english(en):
    assert f.time_limit_text(2.5, "working_days") == "2.5 working days"


HAND_WRITTEN = re.compile(r"""replace\(\s*["'][.,]["']\s*,\s*["'][.,]["']\s*\)""")


def test_no_module_writes_separators_by_hand():
    """Thousands separators and decimal commas come from Babel through core.formatting, nowhere else (CODE-08)."""
    offenders = [f"{path.relative_to(ROOT)}:{n}"
                 for folder in ("core", "plugins", "examples", "templates")
                 for path in (ROOT / folder).rglob("*")
                 if path.suffix in (".py", ".html") and path.is_file()
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if HAND_WRITTEN.search(line)]
    assert offenders == []
