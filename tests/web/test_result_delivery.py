"""LAW-13: the applicant chooses where to collect the result, and Mẫu 01 item 6 prints that choice."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.web.helpers import APPLICANT, BIRTH, birth_data, counter_form_data
from tests.web.html_checks import assert_good_page

COUNTER = f"/xa-a/tiep-nhan/{BIRTH}"
POSTAL = "Qua dịch vụ bưu chính công ích, tại địa chỉ"


def _receipt(client, code: str) -> str:
    return assert_good_page(client.get(f"/xa-a/dossiers/{code}/documents/receipt"))


def test_the_counter_records_postal_delivery_and_the_receipt_prints_it(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(COUNTER))
    assert 'name="counter-result_delivery"' in page and "Đăng ký nhận kết quả tại" in page
    response = client.post(COUNTER, data={**counter_form_data(), "counter-result_delivery": "postal"})
    assert response.status_code == 302
    code = urlsplit(response.headers["Location"]).path.rstrip("/").split("/")[-1]
    receipt = _receipt(client, code)
    assert f"{POSTAL}: {APPLICANT['address']}" in receipt

    default = client.post(COUNTER, data=counter_form_data())
    code = urlsplit(default.headers["Location"]).path.rstrip("/").split("/")[-1]
    assert POSTAL not in _receipt(client, code)  # not asked: collected at the desk


def test_the_api_takes_result_delivery_and_refuses_another_value(desk, client):
    headers = desk.factory.token(client, "a.tiepnhan")
    body = {"procedure": BIRTH, "channel": "counter", "applicant": APPLICANT, "data": birth_data()}
    created = client.post("/api/v1/units/xa-a/dossiers", json={**body, "result_delivery": "postal"}, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["result_delivery"] == "postal"
    code = created.get_json()["code"]
    assert client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()["result_delivery"] == "postal"

    plain = client.post("/api/v1/units/xa-a/dossiers", json=body, headers=headers).get_json()
    assert plain["result_delivery"] == "desk"

    for wrong in ("home", ["postal"], 1):
        refused = client.post("/api/v1/units/xa-a/dossiers", json={**body, "result_delivery": wrong}, headers=headers)
        assert refused.status_code == 422
        error = refused.get_json()["error"]
        assert error["code"] == "invalid" and "result_delivery" in error["fields"]
    listed = client.get("/api/v1/units/xa-a/dossiers", headers=headers).get_json()
    assert listed["total"] == 2  # the refused requests changed nothing


def test_the_online_form_offers_the_choice_and_keeps_it(desk, client, app):
    from core.dossiers.models import Dossier
    from core.dossiers.serializers import result_delivery
    from core.extensions import db

    form = {f"applicant-{k}": v for k, v in APPLICANT.items()} | birth_data()
    page = assert_good_page(client.get(f"/nop-ho-so/xa-a/{BIRTH}"))
    assert 'name="result_delivery"' in page
    kept = client.post(f"/nop-ho-so/xa-a/{BIRTH}", data={**form, "child_full_name": "", "result_delivery": "postal"})
    assert kept.status_code == 422 and '<option value="postal" selected>' in kept.get_data(as_text=True)
    assert client.post(f"/nop-ho-so/xa-a/{BIRTH}", data={**form, "result_delivery": "postal"}).status_code == 302
    with app.app_context():
        dossier = db.session.scalars(db.select(Dossier)).one()
        assert result_delivery(dossier) == "postal"
