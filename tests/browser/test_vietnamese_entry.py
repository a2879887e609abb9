"""Day-first dates and decimal commas typed in a browser whose language is English (en-US).

A native date input there shows mm/dd/yyyy, so "05112026" typed day-first became 11 May; a native number input turned
"152,5" into 1525. The forms use text boxes read by the server, so what the officer types is what is stored.
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Browser, expect

from tests.web.helpers import APPLICANT, dossier_state

from .test_ui_walkthrough import login


def _swappable_day() -> date:
    """A recent past day whose day and month could be swapped (day ≤ 12, day ≠ month): a US reading would differ."""
    day = date.today() - timedelta(days=1)
    while day.day > 12 or day.day == day.month:
        day -= timedelta(days=1)
    return day


def test_an_english_browser_types_day_first_dates_and_decimal_commas(live, browser: Browser, app):
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db

    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        page.goto(f"{live}/login?lang=vi")  # Vietnamese pages in an English browser: the session keeps the choice
        login(page, live, "a.tiepnhan")
        page.goto(f"{live}/xa-a/tiep-nhan/civil_status.birth_registration")
        expect(page.get_by_label("Họ và tên người nộp hồ sơ")).to_be_focused()  # autofocus: type at once
        page.keyboard.type(APPLICANT["full_name"])
        page.get_by_label("Số CCCD / số định danh cá nhân (12 chữ số)").fill(APPLICANT["id_number"])
        page.get_by_label("Số điện thoại di động").fill(APPLICANT["phone"])
        page.get_by_label("Địa chỉ", exact=True).fill(APPLICANT["address"])
        page.get_by_label("Họ, chữ đệm, tên người được khai sinh").fill("Nguyễn Thị Hoa")
        page.get_by_label("Nữ", exact=True).check()
        born = _swappable_day()
        box = page.get_by_label("Ngày, tháng, năm sinh")
        expect(box).to_have_attribute("placeholder", "dd/mm/yyyy")
        box.click()
        page.keyboard.type(born.strftime("%d%m%Y"))  # digits only, as on a phone's number pad
        page.get_by_label("Nơi sinh").fill("Trạm y tế xã An Bình")
        page.get_by_label("Họ, chữ đệm, tên người mẹ").fill("Trần Thị Mai")
        for paper in page.locator('input[name="counter-documents"]').all():
            paper.check()
        page.get_by_role("button", name="Tiếp nhận và in giấy hẹn (Mẫu 01)").click()
        expect(page.locator(".print-panel")).to_be_visible()
        code = page.locator("h1 .code").inner_text()
        assert dossier_state(app, code).status == "received"
        with app.app_context():
            stored = db.session.scalar(select(Dossier.data).where(Dossier.code == code))
            db.session.remove()
        assert stored["child_birth_date"] == born.isoformat()
        expect(page.locator("main")).to_contain_text(born.strftime("%d/%m/%Y"))  # read back day-first

        page.goto(f"{live}/xa-a/tiep-nhan/land.change_registration")
        area = page.get_by_label("Diện tích (m²)")
        area.click()
        page.keyboard.type("152,5")
        expect(area).to_have_value("152,5")  # a text box keeps the comma; a number box would have made it 1525
        page.get_by_role("button", name="Tiếp nhận và in giấy hẹn (Mẫu 01)").click()  # the rest is missing
        expect(page.locator("#error-summary")).to_be_visible()
        assert page.title().startswith("Lỗi: ")
        expect(page.get_by_label("Diện tích (m²)")).to_have_value("152,5")  # kept, read back the same
    finally:
        context.close()
