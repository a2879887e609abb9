"""Issue 10, DAY-24: the portal as citizens use it: communes in Vietnamese alphabetical order, procedures grouped by
field with a labelled count, a search from the home page, the office's contact on the procedure page, a success page
that says what was sent and offers printing, and the tracking phone kept out of the address."""

from __future__ import annotations

from core.collation import place_sort_key, sort_key
from tests.web.helpers import APPLICANT, make_dossier
from tests.web.html_checks import assert_good_page, parse_strict
from tests.web.test_portal_pages import submission


def test_vietnamese_alphabetical_order():
    names = ["Xã Liên Bão", "Xã Đại Đồng", "Xã Lạc Vệ", "Xã Ưng Hòe", "Xã Uy Nỗ", "Xã Dương Liễu", "Xã Anh Sơn",
             "Xã An Bình", "Xã Ơn", "Xã Ôn", "Xã Ong"]
    assert sorted(names, key=sort_key) == ["Xã An Bình", "Xã Anh Sơn", "Xã Dương Liễu", "Xã Đại Đồng", "Xã Lạc Vệ",
                                           "Xã Liên Bão", "Xã Ong", "Xã Ôn", "Xã Ơn", "Xã Uy Nỗ", "Xã Ưng Hòe"]
    assert sorted(["Má", "Mạ", "Mà", "Ma", "Mã", "Mả"], key=sort_key) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sorted(["Xã Tân Chi", "Thị trấn Lim", "Xã Đại Đồng"], key=place_sort_key) == [
        "Xã Đại Đồng", "Thị trấn Lim", "Xã Tân Chi"]


def test_home_lists_communes_in_vietnamese_order(desk, client):
    for slug, name in (("xa-dai-dong", "Xã Đại Đồng"), ("xa-lac-ve", "Xã Lạc Vệ"), ("xa-lien-bao", "Xã Liên Bão"),
                       ("tt-lim", "Thị trấn Lim")):
        desk.factory.commune(slug, parent="huyen-test", name=name)
    tree = parse_strict(assert_good_page(client.get("/")))
    options = ["".join(o.itertext()) for o in tree.iter("option")]
    assert options == ["Xã An Bình", "Xã Bình Minh", "Xã Đại Đồng", "Xã Lạc Vệ", "Xã Liên Bão", "Thị trấn Lim"]


def test_procedures_are_grouped_by_field_with_a_labelled_count(desk, client):
    page = assert_good_page(client.get("/thu-tuc/xa-a"))
    tree = parse_strict(page)
    headings = ["".join(h.itertext()) for h in tree.iter("h2")]
    assert headings == ["Hộ tịch", "Đất đai", "Bảo trợ xã hội"]  # the deployment's plugin order
    groups = [s for s in tree.iter("section") if s.get("data-filter-group") is not None]
    civil = ["".join(a.itertext()) for a in groups[0].iter("a")]
    assert "Đăng ký khai sinh" in civil and all("trợ cấp" not in n.lower() for n in civil)
    assert sorted(civil, key=sort_key) == civil
    status = next(p for p in tree.iter("p") if p.get("role") == "status")
    assert " ".join("".join(status.itertext()).split()).startswith("Đang hiển thị ")
    assert "".join(status.itertext()).strip().endswith("thủ tục")


def test_home_page_procedure_search_leads_to_the_filtered_catalogue(desk, client):
    page = assert_good_page(client.get("/"))
    assert 'name="q"' in page
    response = client.get("/thu-tuc?unit=xa-a&q=khai+sinh")
    assert response.status_code == 302 and response.headers["Location"].endswith("/thu-tuc/xa-a?q=khai+sinh")
    page = assert_good_page(client.get("/thu-tuc/xa-a?q=khai+sinh"))
    assert "Đăng ký khai sinh" in page and "Đăng ký biến động" not in page


def test_procedure_page_tells_where_when_and_whom_to_call(app, desk, client):
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none

    with app.app_context():
        unit = get_unit_or_none("xa-a")
        unit.address, unit.phone = "Số 1 đường Lý Thái Tổ", "0222 3 841 234"
        unit.office_hours = "07:00-11:00,13:00-17:00"
        db.session.commit()
    page = assert_good_page(client.get("/thu-tuc/xa-a/civil_status.birth_registration"))
    assert "Số 1 đường Lý Thái Tổ" in page and "0222 3 841 234" in page and 'href="tel:02223841234"' in page
    assert "07:00–11:00, 13:00–17:00" in page
    assert 'class="table-wrap"' in page  # the documents table scrolls inside its card on a phone


def test_success_page_says_what_was_sent_and_offers_printing(desk, client):
    applicant = dict(APPLICANT, email="binh@example.vn")
    response = client.post("/nop-ho-so/xa-a/civil_status.birth_registration", data=submission(applicant))
    assert response.status_code == 302
    page = assert_good_page(client.get("/nop-ho-so/da-nop"))
    assert "bằng tin nhắn đến số 0912345678" in page and "binh@example.vn" in page
    assert "In trang này" in page and "data-print-frame" in page
    tree = parse_strict(page)
    current = [a for a in tree.iter("a") if a.get("aria-current") == "page"]
    assert ["".join(a.itertext()) for a in current] == ["Thủ tục hành chính"]


def test_tracking_forms_post_the_phone(desk, client):
    code = make_dossier(desk.app)
    for path in ("/", "/tra-cuu"):
        tree = parse_strict(assert_good_page(client.get(path)))
        form = next(f for f in tree.iter("form") if any(i.get("name") == "phone" for i in f.iter("input")))
        assert form.get("method") == "post"
    response = client.post("/tra-cuu", data={"code": code, "phone": APPLICANT["phone"]})
    assert response.status_code == 200 and "Các bước đã thực hiện" in response.get_data(as_text=True)
    response = client.post("/tra-cuu", data={"code": code, "phone": "0900000000"})
    assert response.status_code == 404
    response = client.post("/tra-cuu", data={"code": code, "phone": ""})
    assert response.status_code == 422 and 'id="phone-error"' in response.get_data(as_text=True)
    # Links already given out (code and phone in the address) keep working.
    assert client.get(f"/tra-cuu?code={code}&phone={APPLICANT['phone']}").status_code == 200

