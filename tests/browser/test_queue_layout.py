"""The work queue on a common office screen (DAY-06): a 1366×768 monitor, whose browser leaves about 1366×650 to the
page, shows at least ten dossiers, each on one line, with badges that do not wrap."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.web.helpers import make_dossier

from .test_ui_walkthrough import live, login  # noqa: F401  (the served application)

VIEWPORT = {"width": 1366, "height": 650}


def test_at_least_ten_single_line_rows_are_visible_without_scrolling(live, browser: Browser, app):  # noqa: F811
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
