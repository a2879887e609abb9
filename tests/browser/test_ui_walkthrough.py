"""Real users in a real browser: Debian's Chromium, driven by Playwright, against the application served over HTTP.

The application of the ``app`` fixture (the test database) is served by werkzeug on 127.0.0.1 in a thread. Each test
walks one story of issue 5; every main page is checked with axe-core (no serious or critical violation) and saved as a
screenshot under test-artifacts/screenshots/. These tests never skip: without Chromium they fail loudly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.testing import TEST_PASSWORD
from tests.web.helpers import APPLICANT, act, dossier_state, make_dossier
from tests.web.html_checks import problems

from .browser_support import REPO_ROOT, format_violations, run_axe

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
# window.print() would open a dialog; record the calls instead (in every frame, the receipt's frame included).
PRINT_SPY = "window.__printed = 0; window.print = function () { window.__printed += 1; };"



@pytest.fixture
def open_page(browser: Browser):
    """A factory of pages, each in its own browser context (its own cookies: one person each)."""
    contexts = []

    def new_page() -> Page:
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.add_init_script(PRINT_SPY)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_page(page: Page, name: str | None = None, frames: bool = True) -> None:
    """A title, no serious or critical axe violation, and a screenshot when named."""
    # A click that navigates returns before the new document has loaded; wait for it, then read the title.
    page.wait_for_load_state("load")
    expect(page).to_have_title(re.compile(r"\S"))
    violations = run_axe(page, options=None if frames else {"iframes": False})
    assert violations == [], f"{page.url}\n{format_violations(violations)}"
    if name:
        shot(page, name)


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(TEST_PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"login of {username} failed"


def test_officer_receives_a_birth_registration_at_the_counter_and_prints_the_receipt(live, open_page, app):
    page = open_page()
    page.goto(f"{live}/login")
    check_page(page, "login")
    login(page, live, "a.tiepnhan")
    check_page(page, "officer-queues")
    page.keyboard.press("n")  # shortcut to the counter
    expect(page).to_have_url(f"{live}/xa-a/tiep-nhan")
    check_page(page, "counter-choose")
    search = page.get_by_label("Tìm thủ tục (gõ có hoặc không dấu, ví dụ: khai sinh)")
    expect(search).to_be_focused()
    search.type("khai sinh")
    expect(page.locator("#procedure-list li:visible")).to_have_count(1)
    search.press("Enter")
    expect(page.locator("h1")).to_have_text("Đăng ký khai sinh")
    page.get_by_label("Họ và tên người nộp hồ sơ").fill(APPLICANT["full_name"])
    page.get_by_label("Số CCCD / số định danh cá nhân (12 chữ số)").fill(APPLICANT["id_number"])
    page.get_by_label("Số điện thoại di động").fill(APPLICANT["phone"])
    page.get_by_label("Địa chỉ", exact=True).fill(APPLICANT["address"])
    page.get_by_label("Họ, chữ đệm, tên người được khai sinh").fill("Nguyễn Thị Hoa")
    page.locator("#child_sex-1").focus()
    page.keyboard.press("Space")  # "Nữ", by keyboard
    page.get_by_label("Ngày, tháng, năm sinh").fill(_days_ago(3))
    page.get_by_label("Nơi sinh").fill("Trạm y tế xã An Bình")
    page.get_by_label("Họ, chữ đệm, tên người mẹ").fill("Trần Thị Mai")
    for box in page.locator('input[name="counter-documents"]').all():
        box.check()  # the officer ticks each paper handed in
    check_page(page, "counter-form")
    page.get_by_label("Họ, chữ đệm, tên người mẹ").press("Enter")  # the first submit button: receive
    expect(page.locator(".print-panel")).to_be_visible()
    code = page.locator("h1 .code").inner_text()
    assert dossier_state(app, code).status == "received"
    frame = page.frame_locator("#doc-frame")
    expect(frame.locator("body")).to_contain_text(code)
    expect(frame.locator("body")).to_contain_text("tiếp nhận hồ sơ", ignore_case=True)
    print_button = page.get_by_role("button", name="In phiếu")
    expect(print_button).to_be_focused()  # Enter prints at once
    check_page(page, "dossier-after-receive", frames=False)
    page.keyboard.press("Enter")
    receipt_frame = page.frame(name="doc-frame")
    assert receipt_frame is not None and receipt_frame.evaluate("window.__printed") == 1


def _days_ago(days: int) -> str:
    from datetime import date, timedelta

    return (date.today() - timedelta(days=days)).strftime("%d/%m/%Y")


def test_specialist_and_leader_take_it_to_result_ready_and_the_officer_returns_it(live, open_page, app):
    code = make_dossier(app)
    desk = open_page()
    login(desk, live, "a.tiepnhan")
    desk.goto(f"{live}/xa-a/?tab=mine")
    desk.get_by_role("link", name=code).click()
    check_page(desk, "dossier-received")
    desk.get_by_label("Giao cho cán bộ").select_option("a.chuyenvien")
    desk.get_by_role("button", name="Chuyển chuyên viên xử lý").click()
    expect(desk.locator(".flash-success")).to_contain_text("Chuyển chuyên viên xử lý")

    specialist = open_page()
    login(specialist, live, "a.chuyenvien")
    specialist.goto(f"{live}/xa-a/?tab=mine")
    specialist.get_by_role("link", name=code).click()
    specialist.get_by_label("Ghi chú (không bắt buộc)").first.fill("Hồ sơ đầy đủ, đề nghị ký.")
    specialist.get_by_role("button", name="Trình lãnh đạo phê duyệt").click()
    expect(specialist.locator(".badge").first).to_contain_text("Chờ lãnh đạo phê duyệt")

    leader = open_page()
    login(leader, live, "a.lanhdao")
    leader.goto(f"{live}/xa-a/?tab=approval")
    expect(leader.locator(".tabs a[aria-current=page] .count")).to_have_text("1")
    check_page(leader, "queue-approval")
    leader.get_by_role("link", name=code).click()
    draft = leader.frame_locator("iframe.draft-frame").first  # the Trích lục as it will be signed (DAY-04)
    expect(draft.locator("body")).to_contain_text("DỰ THẢO")
    expect(draft.locator("body")).to_contain_text("TRÍCH LỤC KHAI SINH")
    expect(draft.locator(".doc-toolbar")).to_have_count(0)
    leader.get_by_label("Tôi đã xem dự thảo kết quả và xác nhận phê duyệt, ký").check()
    leader.get_by_role("button", name="Phê duyệt, ký kết quả").click()
    expect(leader.locator(".badge").first).to_have_text("Đã có kết quả, chờ trả")
    assert dossier_state(app, code).status == "result_ready"

    desk.goto(f"{live}/xa-a/?tab=to_return")
    desk.get_by_role("link", name=code).click()
    expect(desk.get_by_label("Người nhận kết quả")).to_have_value(APPLICANT["full_name"])
    desk.get_by_role("button", name="Trả kết quả").click()
    expect(desk.locator(".badge").first).to_have_text("Đã trả kết quả")
    check_page(desk, "dossier-returned")
    assert dossier_state(app, code).status == "returned"


def test_citizen_tracks_by_code_and_phone_and_rates(live, open_page, app):
    code = make_dossier(app)
    for username, action, arguments in (("a.tiepnhan", "assign", {"assignee": "a.chuyenvien"}),
                                        ("a.chuyenvien", "submit_for_approval", {}), ("a.lanhdao", "approve", {}),
                                        ("a.tiepnhan", "return_result", {"received_by": "Nguyễn Văn Bình"})):
        act(app, code, username, action, **arguments)
    citizen = open_page()
    citizen.goto(f"{live}/")
    check_page(citizen, "portal-home")
    citizen.get_by_label("Mã hồ sơ (in trên giấy hẹn)").fill(code)
    citizen.get_by_label("Số điện thoại đã khai khi nộp").fill(APPLICANT["phone"])
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(citizen.locator(".badge")).to_have_text("Đã trả kết quả")
    expect(citizen.locator("ol.steps li")).to_have_count(5)
    assert APPLICANT["id_number"] not in citizen.content()
    check_page(citizen, "portal-tracking")
    citizen.get_by_label("Rất hài lòng").check()
    citizen.get_by_label("Góp ý (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.locator(".flash-success").first).to_contain_text("Cảm ơn ông/bà đã đánh giá.")
    expect(citizen.get_by_role("button", name="Gửi đánh giá")).to_have_count(0)

    qr = open_page()  # the receipt's QR code carries the code only
    qr.goto(f"{live}/tra-cuu?code={code}")
    expect(qr.get_by_label("Mã hồ sơ")).to_have_value(code)
    expect(qr.get_by_label("Số điện thoại đã khai khi nộp hồ sơ")).to_be_focused()
    qr.keyboard.type("0987654321")
    qr.keyboard.press("Enter")
    expect(qr.locator(".flash-error")).to_contain_text("Không tìm thấy hồ sơ")
    check_page(qr)


def test_citizen_submits_online_and_the_officer_receives_it(live, open_page, app):
    citizen = open_page()
    citizen.goto(f"{live}/")
    citizen.get_by_label("Xã, phường, thị trấn nơi nộp hồ sơ").select_option("xa-a")
    citizen.get_by_role("button", name="Tìm thủ tục").click()
    expect(citizen).to_have_url(f"{live}/thu-tuc/xa-a")
    citizen.get_by_label("Tìm thủ tục (có hoặc không dấu)").type("khai sinh")
    expect(citizen.locator("#catalogue-list li:visible")).to_have_count(1)
    check_page(citizen, "portal-catalogue")
    citizen.get_by_role("link", name="Đăng ký khai sinh").click()
    check_page(citizen, "portal-procedure")
    citizen.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    citizen.get_by_role("button", name="Nộp hồ sơ").click()  # empty: every message beside its field
    expect(citizen.locator("#applicant-full_name-error")).to_be_visible()
    expect(citizen.locator("#child_full_name-error")).to_be_visible()
    check_page(citizen, "portal-submit-errors")
    citizen.get_by_label("Họ và tên người nộp hồ sơ").fill("Lê Văn Cường")
    citizen.get_by_label("Số CCCD / số định danh cá nhân (12 chữ số)").fill("027090009999")
    citizen.get_by_label("Số điện thoại di động").fill("0987000111")
    citizen.get_by_label("Địa chỉ", exact=True).fill("Xóm Chùa, xã An Bình")
    citizen.get_by_label("Họ, chữ đệm, tên người được khai sinh").fill("Lê Minh Khang")
    citizen.get_by_label("Nam", exact=True).check()
    citizen.get_by_label("Ngày, tháng, năm sinh").fill(_days_ago(10))
    citizen.get_by_label("Nơi sinh").fill("Bệnh viện Đa khoa tỉnh Bắc Ninh")
    citizen.get_by_label("Họ, chữ đệm, tên người mẹ").fill("Phạm Thị Lan")
    citizen.get_by_role("button", name="Nộp hồ sơ").click()
    expect(citizen.locator("h1")).to_have_text("Đã nộp hồ sơ thành công")
    code = citizen.locator("strong.code").inner_text()
    check_page(citizen, "portal-submitted")
    assert dossier_state(app, code).status == "submitted"

    officer = open_page()
    login(officer, live, "a.tiepnhan")
    expect(officer.locator(".tabs a[aria-current=page]")).to_contain_text("Chờ tiếp nhận trực tuyến")
    officer.get_by_role("link", name=code).click()
    officer.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(officer.locator(".print-panel")).to_be_visible()
    expect(officer.frame_locator("#doc-frame").locator("body")).to_contain_text(code)
    assert dossier_state(app, code).status == "received"


def test_district_admin_disables_land_and_counter_and_portal_stop_offering_it(live, open_page, app):
    from core.plugins.manager import host

    with app.app_context():
        land = [p.name for p in host().procedures.values() if p.plugin == "land"]
    assert land, "the land plugin declares no procedure"
    admin = open_page()
    login(admin, live, "huyen.admin")
    expect(admin).to_have_url(f"{live}/huyen-test/admin")
    check_page(admin, "admin-overview")
    admin.get_by_role("link", name="Đơn vị và lĩnh vực").click()
    check_page(admin, "admin-units")
    admin.get_by_role("link", name="Lĩnh vực của Xã An Bình").click()
    form = admin.locator("form", has=admin.locator("#land-enabled"))
    expect(admin.locator("#land-enabled")).to_be_checked()
    admin.locator("#land-enabled").uncheck()
    check_page(admin, "admin-plugins")
    form.get_by_role("button").click()
    expect(admin.locator(".flash-success")).to_contain_text("Đã tắt lĩnh vực")
    expect(admin.locator("#land-enabled")).not_to_be_checked()

    officer = open_page()
    login(officer, live, "a.tiepnhan")
    officer.goto(f"{live}/xa-a/tiep-nhan")
    names = officer.locator(".procedure-link").all_inner_texts()
    assert names and not set(land) & set(names)
    citizen = open_page()
    citizen.goto(f"{live}/thu-tuc/xa-a")
    names = citizen.locator(".procedure-link").all_inner_texts()
    assert "Đăng ký khai sinh" in names and not set(land) & set(names)
    citizen.goto(f"{live}/thu-tuc/xa-b")
    assert set(land) <= set(citizen.locator(".procedure-link").all_inner_texts())

    admin.get_by_role("link", name="Nhật ký thay đổi").click()
    expect(admin.locator("tbody tr").first).to_contain_text("Tắt lĩnh vực")
    expect(admin.locator("tbody tr").first).to_contain_text("Quản Trị Huyện")
    check_page(admin, "admin-change-log")


def test_an_officer_of_another_commune_cannot_open_the_dossier_by_url(live, open_page, app):
    code = make_dossier(app)
    other = open_page()
    login(other, live, "b.tiepnhan")
    response = other.goto(f"{live}/xa-a/dossiers/{code}")
    assert response.status == 403
    expect(other.locator("h1")).to_have_text("Không có quyền truy cập")
    check_page(other, "error-403")
    response = other.goto(f"{live}/xa-b/dossiers/{code}")
    assert response.status == 404
    assert APPLICANT["full_name"] not in other.content()
    check_page(other, "error-404")
    response = other.goto(f"{live}/xa-a/dossiers/{code}/documents/receipt")
    assert response.status in (403, 404)


PAGES = [  # (who, path, screenshot name); checked for HTML validity, a title, labels and axe
    (None, "/", None), (None, "/thu-tuc/xa-a", None), (None, "/thu-tuc/xa-a/civil_status.birth_registration", None),
    (None, "/nop-ho-so/xa-a/civil_status.birth_registration", "portal-submit"), (None, "/tra-cuu", None),
    (None, "/login", None),
    ("a.tiepnhan", "/xa-a/", None), ("a.tiepnhan", "/xa-a/?tab=overdue", None),
    ("a.tiepnhan", "/xa-a/tiep-nhan", None), ("a.tiepnhan", "/xa-a/tiep-nhan/civil_status.birth_registration", None),
    ("a.tiepnhan", "/xa-a/tim-kiem?q=nguyen+van+binh", "officer-search"), ("a.tiepnhan", "/xa-a/dossiers/{code}", None),
    ("multi", "/xa-b/", None),
    ("huyen.admin", "/huyen-test/admin", None), ("huyen.admin", "/huyen-test/admin/don-vi", None),
    ("huyen.admin", "/huyen-test/admin/don-vi/moi", "admin-unit-new"),
    ("huyen.admin", "/huyen-test/admin/don-vi/xa-a", None),
    ("huyen.admin", "/huyen-test/admin/don-vi/xa-a/linh-vuc", None),
    ("huyen.admin", "/huyen-test/admin/can-bo", "admin-staff"), ("huyen.admin", "/huyen-test/admin/can-bo/moi", None),
    ("huyen.admin", "/huyen-test/admin/can-bo/a.tiepnhan", None),
    ("huyen.admin", "/huyen-test/admin/lich", "admin-calendar"), ("huyen.admin", "/huyen-test/admin/nhat-ky", None),
    ("a.admin", "/xa-a/admin", None),
]


def test_every_page_is_valid_titled_labelled_and_accessible(live, open_page, app):
    code = make_dossier(app)
    make_dossier(app, channel="online", username=None)
    pages: dict[str | None, Page] = {}
    for who, path, name in PAGES:
        if who not in pages:
            pages[who] = open_page()
            if who:
                login(pages[who], live, who)
        page = pages[who]
        response = page.goto(live + path.format(code=code))
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        found = problems(response.text())
        assert not found, f"{path}: {found}"
        check_page(page, name)
