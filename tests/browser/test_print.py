"""Printing official papers from the browser: Chromium's own print of the HTML page, with the page's @page rules."""

from __future__ import annotations

import io

from pypdf import PdfReader

from core.testing import TEST_PASSWORD
from tests.web.helpers import make_dossier


def _printed_pages(browser, base: str, path: str) -> tuple[int, str]:
    context = browser.new_context(locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(f"{base}/login")
        page.get_by_label("Tên đăng nhập").fill("a.tiepnhan")
        page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
        page.get_by_label("Mật khẩu").press("Enter")
        page.wait_for_load_state()
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        data = page.pdf(prefer_css_page_size=True, print_background=False)
        font = page.evaluate("() => document.fonts.check('12pt \"Mot Cua Serif\"', 'Ủy ban nhân dân')")
    finally:
        context.close()
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(p.extract_text() for p in reader.pages), font


def test_receipt_prints_on_one_a4_page_from_the_browser(live, browser, app):
    """DAY-14: the browser's print of Mẫu 01 (the page's own A4 margins) keeps the note and both signatures."""
    code = make_dossier(app)
    pages, text, font = _printed_pages(browser, live, f"/xa-a/dossiers/{code}/documents/receipt")
    assert pages == 1, text
    assert "Chú ý" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text.upper() and "Lê Thị Tiếp" in text
    assert "Tải PDF" not in text  # the screen toolbar never prints
    assert font  # the vendored serif is loaded, so every machine lays the page out alike
