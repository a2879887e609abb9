"""POST /api/v1/dossiers/<code>/payments and GET /api/v1/payments/<reference>, as the applicant (by phone) and as an
officer (by token); the dossier JSON's ``payment``."""

from __future__ import annotations

from plugins.vietqr import emv


def _dossier(client, headers, code):
    return client.get(f"/api/v1/dossiers/{code}", headers=headers).get_json()


def _history_actions(client, headers, code):
    return [e["action"] for e in _dossier(client, headers, code)["history"]]


def test_applicant_starts_a_vietqr_payment_with_the_right_phone(client, factory, pay_world):
    code = pay_world["code"]
    officer = factory.token(client, "a.tiepnhan")
    assert _dossier(client, officer, code)["payment"] == {"status": "unpaid", "paid_at": None,
                                                          "receipt_number": None}
    response = client.post(f"/api/v1/dossiers/{code}/payments", json={"provider": "vietqr",
                                                                      "phone": pay_world["phone"]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["amount"] == 8000 and body["provider"] == "vietqr" and body["status"] == "pending"
    assert body["reference"].startswith("TT") and "redirect_url" not in body
    fields = emv.parse(body["qr_payload"])
    assert emv.crc_ok(body["qr_payload"]) and fields["54"] == "8000"
    assert emv.parse(emv.parse(fields["38"])["01"]) == {"00": "970999", "01": "0123456789"}
    assert emv.parse(fields["62"])["08"] == code
    assert _dossier(client, officer, code)["payment"]["status"] == "pending"
    assert _history_actions(client, officer, code)[-1] == "payment_started"
    read = client.get(f"/api/v1/payments/{body['reference']}").get_json()
    assert read["status"] == "pending" and read["dossier"] == code and read["qr_payload"] == body["qr_payload"]
    # A second click gives the same payment, not a second one.
    again = client.post(f"/api/v1/dossiers/{code}/payments", json={"provider": "vietqr", "phone": pay_world["phone"]})
    assert again.status_code == 201 and again.get_json()["reference"] == body["reference"]


def test_a_wrong_phone_is_refused_and_changes_nothing(client, factory, pay_world):
    code = pay_world["code"]
    officer = factory.token(client, "a.tiepnhan")
    before = _history_actions(client, officer, code)
    for phone in ("0900000000", "", None, 12345):
        response = client.post(f"/api/v1/dossiers/{code}/payments", json={"provider": "vietqr", "phone": phone})
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "not_found"
    assert _history_actions(client, officer, code) == before
    assert _dossier(client, officer, code)["payment"]["status"] == "unpaid"


def test_an_officer_token_needs_no_phone(client, factory, pay_world):
    officer = factory.token(client, "a.tiepnhan")
    response = client.post(f"/api/v1/dossiers/{pay_world['code']}/payments", json={"provider": "vietqr"},
                           headers=officer)
    assert response.status_code == 201
    # An officer of another commune does not see the dossier.
    other = factory.token(client, "b.tiepnhan")
    refused = client.post(f"/api/v1/dossiers/{pay_world['code']}/payments", json={"provider": "vietqr"},
                          headers=other)
    assert refused.status_code == 404


def test_amount_is_the_dossier_fee_whatever_the_client_sends(client, factory, pay_world):
    response = client.post(f"/api/v1/dossiers/{pay_world['code']}/payments",
                           json={"provider": "vietqr", "phone": pay_world["phone"], "amount": 1})
    assert response.status_code == 201 and response.get_json()["amount"] == 8000
    assert emv.parse(response.get_json()["qr_payload"])["54"] == "8000"


def test_bad_provider_and_free_dossier_are_refused(client, factory, pay_world):
    phone = pay_world["phone"]
    for provider in ("momo", None, 3, ["vietqr"]):
        response = client.post(f"/api/v1/dossiers/{pay_world['code']}/payments",
                               json={"provider": provider, "phone": phone})
        assert response.status_code == 422, provider
        assert "provider" in response.get_json()["error"]["fields"]
    free = client.post(f"/api/v1/dossiers/{pay_world['free']}/payments", json={"provider": "vietqr", "phone": phone})
    assert free.status_code == 409 and free.get_json()["error"]["code"] == "no_fee"
    officer = factory.token(client, "a.tiepnhan")
    assert _dossier(client, officer, pay_world["free"])["payment"]["status"] == "exempt"
    assert client.get("/api/v1/payments/TTNOSUCHREFERENCE").status_code == 404


def test_a_unit_without_a_bank_account_is_not_offered_vietqr(client, factory, pay_world):
    factory.set_plugin("xa-a", "vietqr", True, settings={"bank_bin": "", "account_number": "", "account_name": ""})
    response = client.post(f"/api/v1/dossiers/{pay_world['code']}/payments",
                           json={"provider": "vietqr", "phone": pay_world["phone"]})
    assert response.status_code == 422
    assert "gateway" in response.get_json()["error"]["fields"]["provider"]
