"""The tracking book (Sổ theo dõi hồ sơ) of a unit for a period."""

from __future__ import annotations

import re
from datetime import date

import pytest

from core.documents.book import book_form_set
from tests.documents.conftest import html_text, pdf_text, vn

BOOK = "/xa-hoan-son/tracking-book"


def _rows(body: str) -> list[str]:
    return [html_text(r).strip() for r in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]]


def _book(client, query: str = "", pdf: bool = False):
    response = client.get(BOOK + (".pdf" if pdf else "") + query)
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    return response


def test_book_lists_the_dossiers_received_at_the_unit_in_the_period(desk, officer):
    before = desk.receive(vn(2026, 2, 27, 16, 0))  # in the year's volume, before the period
    first = desk.full_life(vn(2026, 3, 2, 8, 0))
    second = desk.receive(vn(2026, 3, 2, 9, 15), applicant={"full_name": "Đỗ Văn Bình", "id_number": "027190009999",
                                                            "phone": "0987654321", "address": "Thôn Bái Uyên"})
    third = desk.receive(vn(2026, 3, 31, 16, 59))
    after = desk.receive(vn(2026, 4, 1, 7, 30))
    elsewhere = desk.receive(vn(2026, 3, 2, 10, 0), unit="xa-lien-bao", officer="vu.lien.bao")
    desk.act(second, "le.tiep.nhan", "refuse", vn(2026, 3, 2, 9, 30), reason="Sai thẩm quyền")
    body = _book(officer, "?from=2026-03-01&to=2026-03-31").get_data(as_text=True)
    text = html_text(body)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)" in text
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    assert "Quyển số: 2026" in text
    for code in (before, after, elsewhere):
        assert code not in text
    rows = _rows(body)
    assert [r.split()[1] for r in rows] == [first, second, third]
    assert [r.split()[0] for r in rows] == ["2", "3", "4"]  # numbered in the year's volume, after the February one
    full = rows[0]
    for part in ("Đăng ký khai sinh", "01", "Nguyễn Thị Hoà", "0912345678", "08:00 02/03/2026", "17:00 02/03/2026",
                 "09:30 02/03/2026 Xã Hoàn Sơn", "14:05 02/03/2026", "16:20 02/03/2026 Người nhận: Nguyễn Thị Hoà"):
        assert part in full, part
    assert "Đỗ Văn Bình" in rows[1] and "Thôn Bái Uyên 0987654321" in rows[1] and "Từ chối tiếp nhận" in rows[1]
    assert "Tổng số hồ sơ tiếp nhận trong kỳ: 3" in text


def test_book_marks_late_results_and_new_appointments(desk, officer):
    code = desk.receive(vn(2026, 3, 3, 8, 0))
    desk.act(code, "le.tiep.nhan", "assign", vn(2026, 3, 3, 8, 30), assignee="tran.chuyen.vien")
    desk.act(code, "tran.chuyen.vien", "apologize", vn(2026, 3, 3, 16, 0), reason="Chờ xác minh",
             new_due_at="2026-03-04T16:00:00+07:00")
    desk.act(code, "tran.chuyen.vien", "submit_for_approval", vn(2026, 3, 4, 9, 0))
    desk.act(code, "pham.lanh.dao", "approve", vn(2026, 3, 4, 10, 0))
    row = _rows(_book(officer, "?from=2026-03-03&to=2026-03-03").get_data(as_text=True))[0]
    assert "Quá hạn" in row and "Hẹn lại: 16:00 04/03/2026" in row


def test_one_day_period_and_transfer_destination(desk, officer):
    code = desk.receive(vn(2026, 3, 3, 8, 0))
    desk.act(code, "le.tiep.nhan", "transfer", vn(2026, 3, 3, 8, 45), to_unit="xa-lien-bao")
    rows = _rows(_book(officer, "?from=2026-03-03&to=2026-03-03").get_data(as_text=True))
    assert len(rows) == 1 and "08:45 03/03/2026 Xã Liên Bão" in rows[0]


def test_the_receiving_unit_keeps_the_dossier_in_its_book_after_transfer(desk, factory, client):
    code = desk.receive(vn(2026, 3, 3, 8, 0))
    desk.act(code, "le.tiep.nhan", "transfer", vn(2026, 3, 3, 8, 45), to_unit="xa-lien-bao")
    factory.login(client, "vu.lien.bao")
    text = html_text(client.get("/xa-lien-bao/tracking-book?from=2026-03-01&to=2026-03-31").get_data(as_text=True))
    assert code not in text and "Không có hồ sơ nào được tiếp nhận trong kỳ." in text


def test_a_period_across_new_year_numbers_each_volume(desk, officer):
    desk.receive(vn(2025, 12, 30, 8, 0))
    december = desk.receive(vn(2025, 12, 31, 8, 0))
    january = desk.receive(vn(2026, 1, 5, 8, 0))
    body = _book(officer, "?from=2025-12-31&to=2026-01-05").get_data(as_text=True)
    rows = _rows(body)
    assert [r.split()[:2] for r in rows] == [["2", december], ["1", january]]
    assert "Quyển số: 2025 – 2026" in html_text(body)


def test_book_pdf_lists_the_same_rows(desk, officer):
    codes = [desk.receive(vn(2026, 3, 2, 8, minute)) for minute in (0, 10, 20)]
    response = _book(officer, "?from=2026-03-02&to=2026-03-02", pdf=True)
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'inline; filename="so-theo-doi-xa-hoan-son-2026-03-02-2026-03-02.pdf"'
    text = pdf_text(response.data)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Tổng số hồ sơ tiếp nhận trong kỳ: 3" in text
    compact = text.replace(" ", "")
    for code in codes:
        assert code.replace(" ", "") in compact  # long codes may wrap inside their cell


def test_book_of_a_2018_period_is_form_06(desk, officer):
    desk.receive(vn(2025, 3, 4, 8, 0))
    text = html_text(_book(officer, "?from=2025-03-01&to=2025-03-31").get_data(as_text=True))
    assert "Mẫu số 06 (Thông tư số 01/2018/TT-VPCP)" in text
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in text


@pytest.mark.parametrize("day,form_set", [(date(2025, 9, 14), "2018"), (date(2025, 9, 15), "2025"),
                                          (date(2019, 1, 1), "2018"), (date(2030, 1, 1), "2025")])
def test_book_form_set_boundary(day, form_set):
    assert book_form_set(day) == form_set


def test_default_period_is_the_current_month(desk, officer):
    text = html_text(_book(officer).get_data(as_text=True))
    assert re.search(r"Từ ngày 01/\d\d/\d{4} đến ngày \d\d/\d\d/\d{4}", text)


@pytest.mark.parametrize("query", ["?from=2026-13-01&to=2026-03-31", "?from=hôm-qua", "?from=2026-03-31&to=2026-03-01",
                                   "?from=2025-01-01&to=2026-01-02", "?to=2026-02-30"])
def test_bad_periods_are_rejected(desk, officer, query):
    response = officer.get(BOOK + query)
    assert response.status_code == 400
    assert officer.get(BOOK + ".pdf" + query).status_code == 400


def test_a_full_year_is_allowed(desk, officer):
    assert officer.get(BOOK + "?from=2025-01-01&to=2025-12-31").status_code == 200
    assert officer.get(BOOK + "?from=2024-01-01&to=2024-12-31").status_code == 200  # 366 days in a leap year


def test_book_notes_open_dossiers_past_their_appointment(desk, officer):
    """LAW-13: an open dossier whose appointment has passed is noted "Quá hạn" before it is finished."""
    from datetime import datetime, timedelta

    from core.dossiers.clock import VN_TZ

    now = datetime.now(VN_TZ).replace(hour=9, minute=0, second=0, microsecond=0)
    late = desk.receive(now - timedelta(days=60))  # same-day procedure: its appointment is long past
    fresh = desk.receive(now + timedelta(days=30))  # received "later" than the clock: its appointment is ahead
    query = f"?from={(now - timedelta(days=61)).date().isoformat()}&to={(now + timedelta(days=31)).date().isoformat()}"
    body = _book(officer, query).get_data(as_text=True)
    rows = {r.split()[1]: r for r in _rows(body)}
    assert "Quá hạn" in rows[late]
    assert "Quá hạn" not in rows[fresh]
