"""Issue 10 in a real browser: the portal fits a 360 px wide phone (DAY-23), form controls use the body font and
textareas are not monospace (DAY-35), and the keyboard focus ring is visible on the red header (DAY-34)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.web.helpers import make_dossier

PORTAL_PAGES = ["/", "/thu-tuc/xa-a", "/thu-tuc/xa-a/civil_status.birth_registration",
                "/thu-tuc/xa-a/land.change_registration", "/thu-tuc/xa-a/social_welfare.monthly_allowance",
                "/nop-ho-so/xa-a/civil_status.birth_registration", "/tra-cuu"]


@pytest.fixture
def phone(browser: Browser):
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_portal_pages_fit_a_360_px_phone(live, phone, app):
    for path in PORTAL_PAGES:
        response = phone.goto(live + path)
        assert response is not None and response.status == 200, path
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide on a 360 px phone"


def test_tracking_result_fits_a_phone(live, phone, app):
    code = make_dossier(app)
    phone.goto(f"{live}/tra-cuu?code={code}")
    phone.get_by_label("Số điện thoại đã khai khi nộp hồ sơ").fill("0912345678")
    phone.get_by_role("button", name="Tra cứu").click()
    phone.wait_for_load_state()
    assert "phone=" not in phone.url  # posted, not in the address
    assert phone.locator(".badge").count() >= 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_form_controls_use_the_body_font_and_textareas_are_not_monospace(live, browser, app):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live}/tra-cuu")
    body = page.evaluate("getComputedStyle(document.body).fontFamily")
    for selector in ("input#code", "button[type=submit]"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).fontFamily") == body
    page.goto(f"{live}/nop-ho-so/xa-a/land.change_registration")
    areas = page.locator("textarea")
    assert areas.count() >= 1
    font = areas.first.evaluate("el => getComputedStyle(el).fontFamily")
    assert font == body and "mono" not in font.lower()
    context.close()


def test_the_focus_ring_on_the_red_header_is_high_contrast(live, browser, app):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live}/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link, on the red header
    focused = page.evaluate("""() => { const el = document.activeElement; const s = getComputedStyle(el);
        return {inHeader: !!el.closest('.topbar'), color: s.outlineColor, style: s.outlineStyle}; }""")
    assert focused["inHeader"] and focused["style"] != "none"
    assert focused["color"] == "rgb(255, 212, 0)"  # yellow on #a1111a: well over 3:1
    context.close()
