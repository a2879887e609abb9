"""The work queue on a common office screen (DAY-06): a 1366×768 monitor, whose browser leaves about 1366×650 to the
page, shows at least ten dossiers, each on one line, with badges that do not wrap."""

from __future__ import annotations

import re

from playwright.sync_api import Browser

from tests.web.helpers import make_dossier

from .test_ui_walkthrough import login

VIEWPORT = {"width": 1366, "height": 650}


def test_at_least_ten_single_line_rows_are_visible_without_scrolling(live, browser: Browser, app):
    for _ in range(14):
        make_dossier(app)
    context = browser.new_context(locale="vi-VN", viewport=VIEWPORT)
    try:
        page = context.new_page()
        login(page, live, "a.tiepnhan")
        page.goto(f"{live}/xa-a/?tab=mine")
        rows = page.locator("table.queue tbody tr")
        assert rows.count() == 14
        visible = [box for box in (rows.nth(i).bounding_box() for i in range(14)) if box["y"] + box["height"] <= 650]
        assert len(visible) >= 10, [round(b["y"] + b["height"]) for b in visible]
        heights = {round(rows.nth(i).bounding_box()["height"]) for i in range(14)}
        assert max(heights) <= 40, heights  # one line of 15-16 px type per dossier
        size = page.eval_on_selector("table.queue td", "td => parseFloat(getComputedStyle(td).fontSize)")
        assert 15 <= size <= 16.5, size

        page.goto(f"{live}/xa-a/tim-kiem?q=Nguy%E1%BB%85n")
        badge = page.locator("table.queue .badge").first
        box = badge.bounding_box()
        line = page.eval_on_selector("table.queue .badge", "b => parseFloat(getComputedStyle(b).lineHeight)")
        assert box["height"] < 2 * line, (box, line)  # the status badge stays on one line
    finally:
        context.close()


def test_the_district_table_keeps_its_rate_columns_in_view(live, browser: Browser, app):
    """DAY-32: at 1366 px the official table scrolls inside its box and its two rate columns stay on screen."""
    make_dossier(app)
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        login(page, live, "huyen.admin")
        page.goto(f"{live}/huyen-test/dashboard")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # no page-wide horizontal scroll
        for header in page.locator("table.figures thead th.rate").all():
            box = header.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, box
        cell = page.locator("table.figures tbody tr.total td.rate").first
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= 1366, box
        fits = cell.evaluate("td => getComputedStyle(td).whiteSpace === 'nowrap' && td.scrollWidth <= td.clientWidth")
        assert fits  # the rate stays on one line and inside its cell
        caption = page.locator("table.figures caption").inner_text()
        assert re.search(r"hết ngày \d{2}/\d{2}/\d{4}\.", caption), caption  # dd/mm/yyyy, not 2026/11/29
    finally:
        context.close()
