"""How forms write moments, dates, limits and amounts (Vietnamese local time, administrative style)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.documents import formats as fmt
from core.documents.model import Document, Heading, Paragraph, QrCode, Signature, Signatures, nfc


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def test_moments_are_written_in_vietnamese_local_time(ctx):
    utc = datetime(2026, 3, 2, 17, 30, tzinfo=UTC)  # 00:30 on 03/03 in Hà Nội
    assert fmt.moment_text(utc) == "00 giờ 30 phút, ngày 03/03/2026"
    assert fmt.short_moment(utc) == "00:30 03/03/2026"
    assert fmt.day_text(utc) == "03/03/2026"
    assert fmt.moment_text(None) == "" and fmt.short_moment(None) == "" and fmt.day_text(None) == ""


@pytest.mark.parametrize("day,text", [
    (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
    (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
    (date(2026, 3, 3), "ngày 03 tháng 3 năm 2026"),
    (date(2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
])
def test_long_dates_follow_administrative_style(ctx, day, text):
    assert fmt.long_date(day) == text


def test_long_date_of_a_moment_uses_the_local_day(ctx):
    assert fmt.long_date(datetime(2025, 12, 31, 18, 0, tzinfo=UTC)) == "ngày 01 tháng 01 năm 2026"


@pytest.mark.parametrize("name,place,inline", [
    ("Xã Hoàn Sơn", "Hoàn Sơn", "xã Hoàn Sơn"),
    ("Phường Đông Nguyên", "Đông Nguyên", "phường Đông Nguyên"),
    ("Thị trấn Lim", "Lim", "thị trấn Lim"),
    ("Chi nhánh Văn phòng đăng ký đất đai", "Chi nhánh Văn phòng đăng ký đất đai",
     "Chi nhánh Văn phòng đăng ký đất đai"),
    ("Xã ", "Xã ", "xã "),
])
def test_place_and_inline_unit_names(name, place, inline):
    assert fmt.place_name(name) == place
    assert fmt.in_text(name) == inline


SAME_DAY = "Trong ngày làm việc (tiếp nhận sau {} thì trả kết quả trong ngày làm việc tiếp theo)"


@pytest.mark.parametrize("value,unit,cutoff,text", [
    (0, "same_day", "15:00", SAME_DAY.format("15 giờ")),
    (0, "same_day", "", SAME_DAY.format("15 giờ")),
    (0, "same_day", "16:30", SAME_DAY.format("16 giờ 30")),
    (3, "working_days", "", "3 ngày làm việc"),
    (0.5, "working_days", "", "0,5 ngày làm việc"),
    (4, "working_hours", "", "4 giờ làm việc"),
])
def test_time_limits(ctx, value, unit, cutoff, text):
    assert fmt.time_limit_text(value, unit, cutoff) == text


@pytest.mark.parametrize("amount,text", [(0, "0 đồng"), (None, "0 đồng"), (8000, "8.000 đồng"),
                                         (1250000, "1.250.000 đồng")])
def test_money(ctx, amount, text):
    assert fmt.money(amount) == text


def test_model_normalises_text_to_nfc():
    decomposed = "Hoa\u0300"
    assert nfc(decomposed) == "Hoà" and nfc(None) == ""
    doc = Document(key="k", title=decomposed, agency_lines=[decomposed], blocks=[
        Paragraph(decomposed, label=decomposed), Heading(decomposed), QrCode("https://x/y", caption=decomposed),
        Signatures([Signature(decomposed, hint=decomposed, name=decomposed)])])
    assert doc.title == "Hoà"
    assert all("\u0300" not in line for line in doc.text_lines())
    assert doc.text_lines().count("Hoà") >= 6
