"""The citizen portal through the Flask client: communes, catalogue, online submission, tracking and rating."""

from __future__ import annotations

import pytest

from tests.web.helpers import APPLICANT, BIRTH, act, birth_data, dossier_state, make_dossier
from tests.web.html_checks import assert_good_page


def submission(applicant=None, data=None) -> dict:
    posted = {f"applicant-{k}": v for k, v in (applicant or APPLICANT).items()}
    posted.update(data or birth_data())
    return posted


def returned_dossier(app) -> str:
    code = make_dossier(app)
    act(app, code, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(app, code, "a.chuyenvien", "submit_for_approval")
    act(app, code, "a.lanhdao", "approve")
    act(app, code, "a.tiepnhan", "return_result", received_by="Nguyễn Văn Bình")
    return code


def test_home_lists_communes_and_leads_to_their_catalogue(desk, client):
    page = assert_good_page(client.get("/"))
    assert "Xã An Bình" in page and "Xã Bình Minh" in page and "Huyện Thử Nghiệm" in page
    response = client.get("/thu-tuc?unit=xa-b")
    assert response.status_code == 302 and response.headers["Location"].endswith("/thu-tuc/xa-b")
    assert client.get("/thu-tuc").status_code == 302
    assert client.get("/thu-tuc?unit=khong-co").status_code == 404
    assert client.get("/thu-tuc/huyen-test").status_code == 404  # a district has no desk of its own


def test_catalogue_and_procedure_page_show_what_the_law_requires(app, desk, client):
    from core.plugins.manager import get_procedure

    page = assert_good_page(client.get("/thu-tuc/xa-a"))
    assert "Đăng ký khai sinh" in page and "Thời hạn" in page and "Phí, lệ phí" in page
    page = assert_good_page(client.get(f"/thu-tuc/xa-a/{BIRTH}"))
    with app.app_context():
        procedure = get_procedure(BIRTH)
        for document in procedure.required_documents:
            assert document.name in page
        assert procedure.current_version.legal_basis in page
    assert "Thành phần hồ sơ" in page and "Căn cứ pháp lý" in page and "Ngày hẹn trả dự kiến" in page
    assert f'href="/nop-ho-so/xa-a/{BIRTH}"' in page
    assert client.get("/thu-tuc/xa-a/civil_status.khong_co").status_code == 404


def test_catalogue_filter_without_diacritics(desk, client):
    page = assert_good_page(client.get("/thu-tuc/xa-a?q=khai sinh"))
    assert "Đăng ký khai sinh" in page
    page = assert_good_page(client.get("/thu-tuc/xa-a?q=xyz khong co"))
    assert "Không có thủ tục nào phù hợp" in page


def test_online_submission_then_the_citizen_sees_the_code(desk, client):
    page = assert_good_page(client.get(f"/nop-ho-so/xa-a/{BIRTH}"))
    assert "Ngày hẹn trả dự kiến" in page and 'name="applicant-phone"' in page
    response = client.post(f"/nop-ho-so/xa-a/{BIRTH}", data=submission())
    assert response.status_code == 302 and response.headers["Location"].endswith("/nop-ho-so/da-nop")
    page = assert_good_page(client.get("/nop-ho-so/da-nop"))
    code = page.split('<strong class="code">')[1].split("<")[0]
    state = dossier_state(desk.app, code)
    assert (state.status, state.channel, state.events) == ("submitted", "online", ["submit"])
    assert f"/tra-cuu?code={code}" in page


def test_submitted_page_without_a_submission_goes_home(client):
    response = client.get("/nop-ho-so/da-nop")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")


def test_online_submission_errors_are_the_services_and_keep_the_input(desk, client):
    applicant = dict(APPLICANT, id_number="12345")
    response = client.post(f"/nop-ho-so/xa-a/{BIRTH}", data=submission(applicant, birth_data(mother_full_name="")))
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="applicant-id_number-error"' in page and "12 chữ số" in page
    assert 'id="mother_full_name-error"' in page
    assert 'value="12345"' in page and 'value="Nguyễn Thị Hoa"' in page


def test_online_submission_of_a_disabled_plugin_is_not_offered(desk, client):
    desk.factory.set_plugin("xa-b", "civil_status", False)
    assert "Đăng ký khai sinh" not in client.get("/thu-tuc/xa-b").get_data(as_text=True)
    assert client.get(f"/thu-tuc/xa-b/{BIRTH}").status_code == 404
    assert client.get(f"/nop-ho-so/xa-b/{BIRTH}").status_code == 404
    assert client.post(f"/nop-ho-so/xa-b/{BIRTH}", data=submission()).status_code == 404


def test_tracking_by_code_and_phone_shows_steps_without_private_data(desk, client):
    code = make_dossier(desk.app)
    page = assert_good_page(client.get("/tra-cuu", query_string={"code": code, "phone": "0912 345 678"}))
    assert code in page and "Đã tiếp nhận" in page and "Tiếp nhận hồ sơ" in page
    assert APPLICANT["id_number"] not in page and APPLICANT["address"] not in page and "Nguyễn Thị Hoa" not in page
    assert "Đánh giá mức độ hài lòng" not in page  # not returned yet


def test_tracking_with_a_wrong_phone_answers_like_an_unknown_code(desk, client):
    code = make_dossier(desk.app)
    wrong = client.get("/tra-cuu", query_string={"code": code, "phone": "0987654321"})
    unknown = client.get("/tra-cuu", query_string={"code": "KHONG-CO-0001", "phone": "0912345678"})
    assert wrong.status_code == unknown.status_code == 404
    message = "Không tìm thấy hồ sơ với mã và số điện thoại này."
    assert message in assert_good_page(wrong) and message in assert_good_page(unknown)
    assert "Đã tiếp nhận" not in wrong.get_data(as_text=True)


def test_tracking_from_the_receipt_qr_code_asks_for_the_phone(desk, client):
    code = make_dossier(desk.app)
    page = assert_good_page(client.get("/tra-cuu", query_string={"code": code}))
    assert f'value="{code}"' in page and "Các bước đã thực hiện" not in page
    response = client.get("/tra-cuu", query_string={"code": code, "phone": ""})
    assert response.status_code == 422 and 'id="phone-error"' in assert_good_page(response)
    response = client.get("/tra-cuu", query_string={"code": "", "phone": "0912345678"})
    assert response.status_code == 422 and 'id="code-error"' in response.get_data(as_text=True)


def test_rating_once_after_the_result_is_returned(desk, client):
    from core.dossiers.models import Rating
    from core.extensions import db

    code = returned_dossier(desk.app)
    page = assert_good_page(client.get("/tra-cuu", query_string={"code": code, "phone": "0912345678"}))
    assert "Đánh giá mức độ hài lòng" in page and "Đã trả kết quả" in page
    response = client.post("/tra-cuu/danh-gia", data={"code": code, "phone": "0912345678", "level": "",
                                                      "comment": "Cán bộ nhiệt tình"})
    assert response.status_code == 422
    page = assert_good_page(response)
    assert 'id="level-error"' in page and "Cán bộ nhiệt tình" in page
    response = client.post("/tra-cuu/danh-gia", data={"code": code, "phone": "0912345678",
                                                      "level": "rat_hai_long", "comment": "Cán bộ nhiệt tình"})
    assert response.status_code == 200
    page = assert_good_page(response)
    assert "Cảm ơn ông/bà đã đánh giá." in page and "Rất hài lòng" in page
    response = client.post("/tra-cuu/danh-gia", data={"code": code, "phone": "0912345678", "level": "hai_long"})
    assert response.status_code == 409
    with desk.app.app_context():
        ratings = db.session.scalars(db.select(Rating)).all()
        assert [(r.level, r.comment) for r in ratings] == [("rat_hai_long", "Cán bộ nhiệt tình")]
        db.session.remove()


def test_rating_needs_the_right_phone_and_a_returned_dossier(desk, client):
    code = make_dossier(desk.app)
    response = client.post("/tra-cuu/danh-gia", data={"code": code, "phone": "0987654321", "level": "hai_long"})
    assert response.status_code == 404
    response = client.post("/tra-cuu/danh-gia", data={"code": code, "phone": "0912345678", "level": "hai_long"})
    assert response.status_code == 409
    assert "Chỉ đánh giá được sau khi đã nhận kết quả." in assert_good_page(response)


@pytest.mark.app_config(TRACK_RATE_LIMIT="3 per minute")
def test_tracking_is_rate_limited(desk, client):
    for _ in range(3):
        assert client.get("/tra-cuu", query_string={"code": "X-1", "phone": "0912345678"}).status_code == 404
    response = client.get("/tra-cuu", query_string={"code": "X-1", "phone": "0912345678"})
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in assert_good_page(response)
    assert client.get("/tra-cuu").status_code == 200  # the empty form is never limited


@pytest.mark.app_config(SUBMIT_RATE_LIMIT="2 per hour")
def test_online_submission_is_rate_limited(desk, client):
    for _ in range(2):
        assert client.post(f"/nop-ho-so/xa-a/{BIRTH}", data=submission()).status_code == 302
    response = client.post(f"/nop-ho-so/xa-a/{BIRTH}", data=submission())
    assert response.status_code == 429
    assert client.get(f"/nop-ho-so/xa-a/{BIRTH}").status_code == 200  # reading the form is never limited


def test_catalogue_document_kinds_are_in_words(desk, client):
    page = assert_good_page(client.get(f"/thu-tuc/xa-a/{BIRTH}"))
    assert "Bản chính" in page and "original" not in page


def test_procedure_names_follow_the_readers_language(desk, client):
    """Names are declared in Vietnamese (the official name the API and the printed forms use) and shown in English
    to a reader who chose English, in the list, its search and the tracking page."""
    page = assert_good_page(client.get("/thu-tuc/xa-a?lang=en"))
    assert "Birth registration" in page and "Civil status" in page and "Đăng ký khai sinh" not in page
    assert "Birth registration" in assert_good_page(client.get("/thu-tuc/xa-a?q=birth"))
    assert "Birth registration" in assert_good_page(client.get("/thu-tuc/xa-a?q=khai sinh"))
    code = make_dossier(desk.app)
    page = assert_good_page(client.get("/tra-cuu", query_string={"code": code, "phone": "0912345678"}))
    assert "Birth registration" in page
    page = assert_good_page(client.get("/thu-tuc/xa-a?lang=vi"))
    assert "Đăng ký khai sinh" in page and "Birth registration" not in page
    body = client.get("/api/v1/units/xa-a/procedures", headers={"Accept-Language": "en"}).get_json()
    assert "Đăng ký khai sinh" in {p["name"] for p in body["procedures"]}


def test_procedure_documents_fee_and_description_follow_the_readers_language(desk, client):
    """Required documents, the fee and the description are declared in Vietnamese (the API and the printed forms use
    them as they are) and shown in English to a reader who chose English; the legal basis stays Vietnamese."""
    page = assert_good_page(client.get(f"/thu-tuc/xa-a/{BIRTH}?lang=en"))
    assert "Birth registration declaration (form TP/HT-2020-KS)" in page and "Tờ khai đăng ký khai sinh" not in page
    assert "Free if registered within 60 days of the birth" in page and "Miễn lệ phí nếu đăng ký" not in page
    assert "The result is returned the same day" in page and "Trả kết quả trong ngày;" not in page
    assert "Luật Hộ tịch 2014" in page
    page = assert_good_page(client.get(f"/nop-ho-so/xa-a/{BIRTH}"))
    assert "Identity document of the person registering" in page and "Giấy tờ tùy thân của người" not in page
    page = assert_good_page(client.get("/thu-tuc/xa-a"))
    assert "No fees or charges" in page and "Không thu phí, lệ phí" not in page
    page = assert_good_page(client.get(f"/thu-tuc/xa-a/{BIRTH}?lang=vi"))
    assert "Tờ khai đăng ký khai sinh (mẫu TP/HT-2020-KS)" in page and "Birth registration declaration" not in page
    assert "Miễn lệ phí nếu đăng ký trong 60 ngày" in page and "Free if registered" not in page
    assert "Trả kết quả trong ngày; hồ sơ nhận sau 15 giờ" in page and "The result is returned" not in page
    body = client.get("/api/v1/units/xa-a/procedures", headers={"Accept-Language": "en"}).get_json()
    birth = next(p for p in body["procedures"] if p["key"] == BIRTH)
    assert birth["required_documents"][0]["name"] == "Tờ khai đăng ký khai sinh (mẫu TP/HT-2020-KS)"
    assert birth["fee"].startswith("Miễn lệ phí nếu đăng ký trong 60 ngày")


def test_the_citizen_asks_to_withdraw_from_the_tracking_page(desk, client):
    code = make_dossier(desk.app)
    lookup = {"code": code, "phone": "0912345678"}
    page = assert_good_page(client.get("/tra-cuu", query_string=lookup))
    assert "Gửi yêu cầu rút hồ sơ" in page
    response = client.post("/tra-cuu/rut-ho-so", data={**lookup, "reason": "  "})
    assert response.status_code == 422
    assert 'id="reason-error"' in assert_good_page(response)
    assert dossier_state(desk.app, code).status == "received"
    response = client.post("/tra-cuu/rut-ho-so", data={**lookup, "phone": "0999999999", "reason": "Không cần nữa"})
    assert response.status_code == 404
    response = client.post("/tra-cuu/rut-ho-so", data={**lookup, "reason": "Đã làm ở xã khác"})
    assert response.status_code == 200
    page = assert_good_page(response)
    assert "Đã gửi yêu cầu rút hồ sơ" in page and "Công dân yêu cầu rút hồ sơ" in page
    assert "Gửi yêu cầu rút hồ sơ" not in page  # asked once
    assert dossier_state(desk.app, code).status == "withdrawal_requested"
    again = client.post("/tra-cuu/rut-ho-so", data={**lookup, "reason": "Lần nữa"})
    assert again.status_code == 409 and "không thể yêu cầu rút" in assert_good_page(again)
    desk.factory.login(client, "a.tiepnhan")
    queue = assert_good_page(client.get("/xa-a/?tab=withdrawal"))
    assert code in queue
