"""The gateway flow against a simulator: redirect, signed callback, receipt; forged, replayed and altered callbacks."""

from __future__ import annotations

import io
import json

from pypdf import PdfReader

from tests.payments.conftest import GATEWAY
from tests.payments.gateway_sim import GatewaySimulator


def _start(client, world) -> tuple[dict, dict]:
    response = client.post(f"/api/v1/dossiers/{world['code']}/payments",
                           json={"provider": "gateway", "phone": world["phone"]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "pending" and body["amount"] == 8000 and "qr_payload" not in body
    assert body["redirect_url"].startswith(GATEWAY["PAYMENT_GATEWAY_URL"] + "?")
    return body, GatewaySimulator(GATEWAY["PAYMENT_GATEWAY_SECRET"]).open(body["redirect_url"])


def _dossier(client, factory, code):
    return client.get(f"/api/v1/dossiers/{code}", headers=factory.token(client, "a.tiepnhan")).get_json()


def test_signed_callback_marks_paid_and_issues_a_receipt(client, factory, pay_world):
    body, fields = _start(client, pay_world)
    assert fields["amount"] == "8000" and fields["reference"] == body["reference"]
    assert fields["callback_url"].endswith("/api/v1/payments/gateway/callback")
    gateway = GatewaySimulator(GATEWAY["PAYMENT_GATEWAY_SECRET"])
    answer = gateway.notify(client, fields)
    assert answer.status_code == 200 and answer.get_json()["status"] == "paid"
    payment = client.get(f"/api/v1/payments/{body['reference']}").get_json()
    assert payment["status"] == "paid" and payment["receipt_number"] and payment["paid_at"]
    dossier = _dossier(client, factory, pay_world["code"])
    assert dossier["payment"]["status"] == "paid"
    assert dossier["payment"]["receipt_number"] == payment["receipt_number"]
    paid = [e for e in dossier["history"] if e["action"] == "payment_paid"]
    assert len(paid) == 1 and paid[0]["payload"]["receipt_number"] == payment["receipt_number"]
    pdf = client.get(f"/api/v1/payments/{body['reference']}/receipt")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and payment["receipt_number"] in text
    assert pay_world["code"] in text and "8.000 đồng" in text
    # Paid: no new payment can start.
    again = client.post(f"/api/v1/dossiers/{pay_world['code']}/payments",
                        json={"provider": "gateway", "phone": pay_world["phone"]})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_paid"


def test_receipts_are_numbered_per_unit_and_year(client, factory, pay_world, app):
    from datetime import date, timedelta

    from tests.web.helpers import BIRTH, birth_data, make_dossier

    gateway = GatewaySimulator(GATEWAY["PAYMENT_GATEWAY_SECRET"])
    numbers = []
    second = make_dossier(app, procedure=BIRTH,
                          data=birth_data(child_birth_date=(date.today() - timedelta(days=90)).isoformat()))
    for code in (pay_world["code"], second):
        body, fields = _start(client, {**pay_world, "code": code})
        gateway.notify(client, fields, transaction_id=f"GW-{code}")
        numbers.append(client.get(f"/api/v1/payments/{body['reference']}").get_json()["receipt_number"])
    year = date.today().year
    assert numbers == [f"0000001/{year}", f"0000002/{year}"]


def test_forged_signature_is_refused_and_changes_nothing(client, factory, pay_world):
    body, fields = _start(client, pay_world)
    forger = GatewaySimulator("not-the-secret")
    response = forger.notify(client, fields)
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "invalid_signature"
    raw, headers = GatewaySimulator(GATEWAY["PAYMENT_GATEWAY_SECRET"]).callback(fields)
    unsigned = client.post("/api/v1/payments/gateway/callback", data=raw,
                           headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 403
    # The body changed after signing (the amount lowered): the signature no longer matches.
    altered = raw.replace(b'"amount": 8000', b'"amount": 1')
    assert client.post("/api/v1/payments/gateway/callback", data=altered, headers=headers).status_code == 403
    assert client.get(f"/api/v1/payments/{body['reference']}").get_json()["status"] == "pending"
    assert _dossier(client, factory, pay_world["code"])["payment"]["status"] == "pending"


def test_replayed_callback_changes_nothing(client, factory, pay_world):
    body, fields = _start(client, pay_world)
    gateway = GatewaySimulator(GATEWAY["PAYMENT_GATEWAY_SECRET"])
    assert gateway.notify(client, fields).status_code == 200
    first = _dossier(client, factory, pay_world["code"])
    for _ in range(2):
        replay = gateway.notify(client, fields)
        assert replay.status_code == 200 and replay.get_json()["status"] == "paid"
    # A later "failed" for the same payment does not undo it either.
    assert gateway.notify(client, fields, status="failed", transaction_id="GW-9").get_json()["status"] == "paid"
    after = _dossier(client, factory, pay_world["code"])
    assert after["history"] == first["history"] and after["payment"] == first["payment"]


def test_amount_tampering_is_impossible(client, factory, pay_world):
    body, fields = _start(client, pay_world)
    gateway = GatewaySimulator(GATEWAY["PAYMENT_GATEWAY_SECRET"])
    # Even signed by the gateway, a callback for another amount than the payment's is refused.
    response = gateway.notify(client, fields, amount=1)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == "amount_mismatch"
    assert client.get(f"/api/v1/payments/{body['reference']}").get_json()["status"] == "pending"
    # The redirect's amount is signed: a changed query fails the gateway's own check.
    tampered = body["redirect_url"].replace("amount=8000", "amount=1")
    try:
        gateway.open(tampered)
    except AssertionError:
        pass
    else:
        raise AssertionError("a changed amount in the redirect passed the signature check")


def test_failed_payment_and_unknown_references(client, factory, pay_world):
    body, fields = _start(client, pay_world)
    gateway = GatewaySimulator(GATEWAY["PAYMENT_GATEWAY_SECRET"])
    assert gateway.notify(client, fields, status="failed").get_json()["status"] == "failed"
    assert _dossier(client, factory, pay_world["code"])["payment"]["status"] == "unpaid"
    unknown = gateway.notify(client, {**fields, "reference": "TTUNKNOWN"})
    assert unknown.status_code == 404
    garbage = b"not json"
    response = client.post("/api/v1/payments/gateway/callback", data=garbage,
                           headers={"X-Signature": gateway.sign(garbage)})
    assert response.status_code == 403
    assert client.post("/api/v1/payments/vietqr/callback", data=json.dumps({}).encode()).status_code == 404
    assert client.post("/api/v1/payments/nope/callback", data=b"{}").status_code == 404
    assert client.get(f"/api/v1/payments/{body['reference']}/receipt").status_code == 404
