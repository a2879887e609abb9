"""Bad input on dossier creation: each error answers with the right status and Vietnamese per-field messages, and
leaves every table unchanged."""

from __future__ import annotations

import pytest
from lifecycle_helpers import APPLICANT, BIRTH, PERMIT, PERMIT_DATA, PLUGINS, counts, create

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

REQUIRED = "Trường này là bắt buộc."
BAD_ID = "Số CCCD/định danh cá nhân phải gồm đúng 12 chữ số."
BAD_PHONE = "Số điện thoại di động phải gồm 10 chữ số và bắt đầu bằng số 0."


@pytest.fixture
def unchanged(world):
    before = counts(world.app)
    yield
    assert counts(world.app) == before


def _applicant(**changes):
    applicant = {**APPLICANT, **changes}
    return {k: v for k, v in applicant.items() if v is not ...}


@pytest.mark.parametrize("changes,expected", [
    ({"id_number": "12345678901"}, {"applicant.id_number": BAD_ID}),
    ({"id_number": "1234567890123"}, {"applicant.id_number": BAD_ID}),
    ({"id_number": "00120300400A"}, {"applicant.id_number": BAD_ID}),
    ({"id_number": ...}, {"applicant.id_number": BAD_ID}),
    ({"phone": "091234567"}, {"applicant.phone": BAD_PHONE}),
    ({"phone": "1912345678"}, {"applicant.phone": BAD_PHONE}),
    ({"phone": "09123456789"}, {"applicant.phone": BAD_PHONE}),
    ({"phone": ...}, {"applicant.phone": BAD_PHONE}),
    ({"full_name": "  "}, {"applicant.full_name": REQUIRED}),
    ({"address": ...}, {"applicant.address": REQUIRED}),
    ({"email": "khong-phai-email"}, {"applicant.email": "Địa chỉ thư điện tử không hợp lệ."}),
    ({"id_number": "1", "phone": "2"}, {"applicant.id_number": BAD_ID, "applicant.phone": BAD_PHONE}),
])
def test_invalid_applicant_is_422_per_field_in_vietnamese(world, unchanged, changes, expected):
    response = create(world, applicant=_applicant(**changes))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and error["message"]
    assert error["fields"] == expected


@pytest.mark.parametrize("data,field,message", [
    ({}, "subject", REQUIRED),
    ({"subject": ""}, "subject", REQUIRED),
    ({"subject": "x" * 201}, "subject", "Không được dài quá 200 ký tự."),
    ({"subject": "Sửa nhà", "area": 0}, "area", "Phải lớn hơn 0."),
    ({"subject": "Sửa nhà", "area": "abc"}, "area", "Giá trị không phải số nguyên hợp lệ."),
])
def test_invalid_procedure_data_is_422_per_field_in_vietnamese(world, unchanged, data, field, message):
    response = create(world, data=data)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {field: message}


def test_plugin_form_messages_for_dates_and_choices_are_vietnamese(world, unchanged):
    data = {"child_full_name": "Bé", "child_sex": "other", "child_birth_date": "31/02/2020",
            "birth_place": "Trạm y tế", "mother_full_name": "Mẹ"}
    response = create(world, procedure=BIRTH, data=data)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert fields == {"child_sex": "Lựa chọn không hợp lệ.", "child_birth_date": "Không có ngày 31/02/2020."}


def test_a_rule_of_the_plugin_blocks_with_its_field(world, unchanged):
    data = {"child_full_name": "Bé", "child_sex": "male", "child_birth_date": "2999-01-01",
            "birth_place": "Trạm y tế", "mother_full_name": "Mẹ"}
    response = create(world, procedure=BIRTH, data=data)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "rule_violation"
    assert error["fields"] == {"child_birth_date": "Ngày sinh không được sau ngày đăng ký."}


def test_applicant_and_data_errors_are_reported_together(world, unchanged):
    response = create(world, applicant=_applicant(phone="12"), data={})
    assert set(response.get_json()["error"]["fields"]) == {"applicant.phone", "subject"}


@pytest.mark.parametrize("applicant,data", [("Nguyễn Văn An", PERMIT_DATA), (None, PERMIT_DATA), ([], PERMIT_DATA),
                                            (APPLICANT, "subject=x"), (APPLICANT, [1])])
def test_applicant_and_data_must_be_objects(world, unchanged, applicant, data):
    response = world.client.post("/api/v1/units/xa-a/dossiers", headers=world.h("tn.a"), json={
        "procedure": PERMIT, "channel": "counter", "applicant": applicant, "data": data})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) & {"applicant", "data"}


@pytest.mark.parametrize("channel", ["quay", "", None, 1])
def test_unknown_channel_is_422(world, unchanged, channel):
    response = create(world, channel=channel)
    assert response.status_code == 422
    assert "channel" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("procedure", ["lifetest.khong_co", "", None, "civil_status"])
def test_unknown_procedure_is_404(world, unchanged, procedure):
    response = create(world, procedure=procedure)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "procedure_not_offered"


def test_procedure_not_offered_by_that_unit_is_404(world, unchanged):
    world.factory.set_plugin("xa-a", "lifetest", False)
    assert create(world).status_code == 404
    assert create(world, username=None, channel="online").status_code == 404


def test_unknown_unit_is_404(world, unchanged):
    assert create(world, unit="khong-co").status_code == 404


@pytest.mark.parametrize("username", ["cv.a", "ld.a", "kt.a", "tn.b"])
def test_counter_reception_needs_the_reception_role_on_that_unit(world, unchanged, username):
    response = create(world, username=username)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("channel", ["counter", "postal"])
def test_counter_and_postal_need_a_login(world, unchanged, channel):
    response = create(world, username=None, channel=channel)
    assert response.status_code == 401


def test_non_json_bodies_are_refused(world, unchanged):
    url = "/api/v1/units/xa-a/dossiers"
    response = world.client.post(url, data={"procedure": PERMIT}, headers=world.h("tn.a"))
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"
    response = world.client.post(url, data="{oops", content_type="application/json", headers=world.h("tn.a"))
    assert response.status_code == 400
    response = world.client.post(url, data="[]", content_type="application/json", headers=world.h("tn.a"))
    assert response.status_code == 400


def test_an_invalid_token_is_401(world, unchanged):
    response = world.client.post(
        "/api/v1/units/xa-a/dossiers", headers={"Authorization": "Bearer sai"},
        json={"procedure": PERMIT, "channel": "counter", "applicant": APPLICANT, "data": PERMIT_DATA})
    assert response.status_code == 401


def test_an_inactive_officer_cannot_receive(world, unchanged):
    token = world.h("tn.a")
    from core.extensions import db
    from core.users.models import User

    with world.app.app_context():
        db.session.query(User).filter_by(username="tn.a").update({"active": False})
        db.session.commit()
    response = world.client.post("/api/v1/units/xa-a/dossiers", headers=token, json={
        "procedure": PERMIT, "channel": "counter", "applicant": APPLICANT, "data": PERMIT_DATA})
    assert response.status_code == 401


def test_postal_reception(world):
    response = create(world, channel="postal")
    assert response.status_code == 201
    assert response.get_json()["channel"] == "postal" and response.get_json()["status"] == "received"


def test_listing_filters_and_bad_filters(world):
    first = create(world).get_json()["code"]
    second = create(world, applicant=_applicant(full_name="Đặng Thị Ánh", phone="0987000111",
                                                id_number="001099000111")).get_json()["code"]
    headers = world.h("tn.a")

    def codes(**params):
        response = world.client.get("/api/v1/units/xa-a/dossiers", query_string=params, headers=headers)
        assert response.status_code == 200, response.get_json()
        return [d["code"] for d in response.get_json()["dossiers"]]

    assert codes() == [second, first]  # newest first
    assert codes(q="dang thi anh") == [second]
    assert codes(q="Đặng Thị Ánh") == [second]
    assert codes(q="0987000111") == [second]
    assert codes(q="001099000111") == [second]
    assert codes(q=first) == [first]
    assert codes(status="received", procedure=PERMIT) == [second, first]
    assert codes(status="returned") == []
    for params, field in (({"status": "done"}, "status"), ({"page": "x"}, "page"), ({"from": "2026-13-01"}, "from"),
                          ({"to": "hôm qua"}, "to")):
        response = world.client.get("/api/v1/units/xa-a/dossiers", query_string=params, headers=headers)
        assert response.status_code == 422, params
        assert field in response.get_json()["error"]["fields"]
    assert world.client.get("/api/v1/units/xa-a/dossiers").status_code == 401


@pytest.mark.app_config(SUBMIT_RATE_LIMIT="2 per hour")
def test_citizens_online_submissions_are_rate_limited_and_the_counter_is_not(world):
    before = counts(world.app)
    statuses = [create(world, channel="online", username=None).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    limited = create(world, channel="online", username=None)
    assert limited.get_json()["error"]["code"] == "too_many_requests" and limited.headers.get("Retry-After")
    assert counts(world.app)["dossiers"] == before["dossiers"] + 2  # a refused request creates nothing
    assert [create(world).status_code for _ in range(3)] == [201, 201, 201]  # officers at the counter


def test_the_history_is_written_in_vietnamese_whatever_the_request_language(world):
    from datetime import date, timedelta

    from sqlalchemy import select

    from core.dossiers.models import Dossier, DossierEvent
    from core.extensions import db

    born = (date.today() - timedelta(days=100)).isoformat()  # late: a warning is recorded with the dossier
    data = {"child_full_name": "Trần Minh Khang", "child_sex": "male", "child_birth_date": born,
            "birth_place": "Trạm y tế xã A", "mother_full_name": "Lê Thị Hoa"}
    response = world.client.post("/api/v1/units/xa-a/dossiers", headers={"Accept-Language": "en"}, json={
        "procedure": BIRTH, "channel": "online", "applicant": APPLICANT, "data": data})
    assert response.status_code == 201, response.get_json()
    with world.app.app_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == response.get_json()["code"]))
        event = db.session.scalar(select(DossierEvent).where(DossierEvent.dossier_id == dossier.id))
        assert event.actor_name == "Công dân"
        messages = [w["message"] for w in event.payload["warnings"]]
        assert messages and all("quá hạn" in m for m in messages), messages
