"""Issue 10, DAY-27 and DAY-29: field settings in the reader's language with units and help, the transfer office a
list of real offices checked on save, and a change log written in words rather than keys and dict text."""

from __future__ import annotations

from tests.web.html_checks import assert_good_page, parse_strict
from tests.web.test_admin_pages import ADMIN, changes, unit_row

PLUGINS = f"{ADMIN}/don-vi/xa-a/linh-vuc"
OFFICE = "Chi nhánh Văn phòng đăng ký đất đai huyện Thử Nghiệm"


def _office(desk):
    desk.factory.unit("vpdk-test", kind="office", parent="huyen-test", plugins=("land",), name=OFFICE)


def _labels(page: str) -> dict[str, str]:
    tree = parse_strict(page)
    return {label.get("for"): "".join(label.itertext()).strip() for label in tree.iter("label") if label.get("for")}


def test_settings_are_labelled_in_vietnamese_with_units_and_help(desk, client):
    desk.factory.login(client, "huyen.admin")
    page = assert_good_page(client.get(PLUGINS))
    labels = _labels(page)
    assert labels["civil_status-late_fee"] == "Lệ phí đăng ký khai sinh, khai tử quá hạn (đồng)"
    assert labels["social_welfare-base_rate"] == "Mức chuẩn trợ giúp xã hội (đồng/tháng)"
    assert labels["land-transfer_office"] == "Văn phòng đăng ký đất đai nhận liên thông"
    assert "Mức do Hội đồng nhân dân tỉnh quy định" in page
    assert 'aria-describedby="civil_status-late_fee-hint"' in page
    for english in ("Late fee", "Copy fee", "Marital status fee", "Transfer office", "Base rate"):
        assert english not in page


def test_settings_page_in_english(desk, client):
    desk.factory.login(client, "huyen.admin")
    page = assert_good_page(client.get(f"{PLUGINS}?lang=en"))
    labels = _labels(page)
    assert labels["civil_status-late_fee"] == "Late registration fee for births and deaths (VND)"
    for vietnamese in ("Hộ tịch", "Đất đai", "Bảo trợ xã hội", "Đăng ký khai sinh, khai tử", "đồng"):
        assert vietnamese not in page


def test_transfer_office_is_a_list_of_real_offices_and_a_wrong_one_is_refused(desk, client):
    _office(desk)
    desk.factory.login(client, "huyen.admin")
    tree = parse_strict(assert_good_page(client.get(PLUGINS)))
    select = next(s for s in tree.iter("select") if s.get("name") == "land-transfer_office")
    options = {o.get("value"): "".join(o.itertext()) for o in select.iter("option")}
    assert options == {"": "— Văn phòng được chỉ định mặc định —", "vpdk-test": OFFICE}
    before = changes(desk.app)
    response = client.post(f"{PLUGINS}/land", data={"land-enabled": "y", "land-transfer_office": "abc-khong-ton-tai"})
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="land-transfer_office-error"' in page and "abc-khong-ton-tai" in page
    assert "Đã bật" not in page
    assert unit_row(desk.app, "xa-a")["settings"].get("land", {}).get("transfer_office", "") == ""
    assert changes(desk.app) == before
    response = client.post(f"{PLUGINS}/land", data={"land-enabled": "y", "land-transfer_office": "vpdk-test"})
    assert response.status_code == 302
    assert unit_row(desk.app, "xa-a")["settings"]["land"]["transfer_office"] == "vpdk-test"


def test_a_commune_is_not_a_transfer_office(desk, client):
    desk.factory.login(client, "huyen.admin")
    response = client.post(f"{PLUGINS}/land", data={"land-enabled": "y", "land-transfer_office": "xa-b"})
    assert response.status_code == 422
    assert unit_row(desk.app, "xa-a")["settings"].get("land", {}).get("transfer_office", "") == ""


def _log_cells(page: str) -> list[list[str]]:
    tree = parse_strict(page)
    return [[" ".join("".join(td.itertext()).split()) for td in tr.iter("td")] for tr in tree.iter("tr")
            if tr.find("td") is not None]


def test_change_log_reads_as_words(desk, client):
    _office(desk)
    desk.factory.login(client, "huyen.admin")
    client.post(f"{PLUGINS}/land", data={"land-enabled": "y", "land-transfer_office": "vpdk-test"})
    client.post(f"{PLUGINS}/civil_status", data={"civil_status-enabled": "y", "civil_status-late_fee": "12000"})
    client.post(f"{ADMIN}/lich", data={"day": "2026-12-31", "kind": "off", "unit_id": "0", "note": "Nghỉ bù"})
    client.post(f"{ADMIN}/can-bo/moi", data={"username": "xa-a.moi", "full_name": "Vũ Thị Mới",
                                              "password": "mat-khau-dai", "unit_id": _unit_id(desk, "xa-a"),
                                              "role": "reception"})
    page = assert_good_page(client.get(f"{ADMIN}/nhat-ky"))
    cells = _log_cells(page)
    text = " | ".join(" ".join(row) for row in cells)
    assert f"Văn phòng đăng ký đất đai nhận liên thông: văn phòng được chỉ định mặc định → {OFFICE}" in text
    assert "Lệ phí đăng ký khai sinh, khai tử quá hạn: 8.000 đồng → 12.000 đồng" in text
    assert "Họ và tên: Vũ Thị Mới" in text and "Vai trò: Tiếp nhận — Xã An Bình" in text
    for raw in ("transfer_office", "{'", "old:", "full_name", "role: reception", "unit: xa-a", "land |", "kind: off"):
        assert raw not in text, raw
    targets = [row[4] for row in cells]
    assert "Đất đai" in targets and "Hộ tịch" in targets and "land" not in targets
    if any(row[3] == "Thêm ngày vào lịch" for row in cells):  # the calendar page may ask more of the day
        day = next(row for row in cells if row[3] == "Thêm ngày vào lịch")
        assert day[4] == "31/12/2026" and "Ngày nghỉ thêm" in day[5]
    english = assert_good_page(client.get(f"{ADMIN}/nhat-ky?lang=en"))
    text = " ".join(" ".join(row) for row in _log_cells(english))
    assert "Late registration fee for births and deaths: 8,000 VND → 12,000 VND" in text
    assert "Role: Reception — Xã An Bình" in text
    assert "Đất đai" not in text and "Hộ tịch" not in text


def _unit_id(desk, slug: str) -> str:
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none

    with desk.app.app_context():
        value = str(get_unit_or_none(slug).id)
        db.session.remove()
    return value


def test_staff_list_has_a_search_box_and_finds_without_diacritics(desk, client):
    desk.factory.login(client, "huyen.admin")
    page = assert_good_page(client.get(f"{ADMIN}/can-bo"))
    assert 'type="search"' in page and "a.chuyenvien" in page and "b.tiepnhan" in page
    page = assert_good_page(client.get(f"{ADMIN}/can-bo?q=pham+van"))
    assert "Phạm Văn Chuyên" in page and "Đỗ Thị Bình" not in page and "Lê Thị Tiếp" not in page
    page = assert_good_page(client.get(f"{ADMIN}/can-bo?q=binh+minh"))  # by unit name (Xã Bình Minh)
    assert "b.tiepnhan" in page and "a.chuyenvien" not in page
    page = assert_good_page(client.get(f"{ADMIN}/can-bo?q=khong-co-ai"))
    assert "Không có cán bộ nào phù hợp." in page


def test_deactivation_is_a_quiet_link_not_a_red_button(desk, client):
    desk.factory.login(client, "huyen.admin")
    tree = parse_strict(assert_good_page(client.get(f"{ADMIN}/don-vi")))
    buttons = [b for b in tree.iter("button") if "Ngừng hoạt động" in "".join(b.itertext())]
    assert buttons and all("caution" not in (b.get("class") or "") and "link" in (b.get("class") or "")
                           for b in buttons)
