"""The payment pages: "Thanh toán trực tuyến" and the VietQR code on the tracking page, the gateway redirect, the
officer's confirmation of a transfer on the dossier page, and the bank statement import (page and CLI)."""

from __future__ import annotations

import io
import re
from html import unescape

from openpyxl import Workbook

from plugins.vietqr import emv
from tests.payments.conftest import GATEWAY
from tests.web.html_checks import assert_good_page


def _dossier(client, factory, code):
    """The dossier JSON as a.tiepnhan sees it, through a client of its own (``client`` may hold another login)."""
    own = client.application.test_client()
    return own.get(f"/api/v1/dossiers/{code}", headers=factory.token(own, "a.tiepnhan")).get_json()


def test_tracking_page_offers_payment_and_shows_the_qr(client, factory, pay_world):
    code, phone = pay_world["code"], pay_world["phone"]
    page = assert_good_page(client.post("/tra-cuu", data={"code": code, "phone": phone}))
    assert "Thanh toán trực tuyến" in page and 'value="vietqr"' in page and 'value="gateway"' in page
    assert "8.000 đồng" in page
    shown = client.post("/tra-cuu/thanh-toan", data={"code": code, "phone": phone, "provider": "vietqr"})
    page = assert_good_page(shown)
    assert shown.status_code == 200 and "<svg" in page and "0123456789" in page and "UBND XA AN BINH" in page
    payload = unescape(re.search(r"<title>(.*?)</title>", page.split('class="qr-code"', 1)[1]).group(1))
    assert emv.crc_ok(payload) and emv.parse(payload)["54"] == "8000"
    assert _dossier(client, factory, code)["payment"]["status"] == "pending"
    # The QR stays on the tracking page at the next lookup.
    again = assert_good_page(client.post("/tra-cuu", data={"code": code, "phone": phone}))
    assert payload.replace("&", "&amp;") in again or payload in unescape(again)


def test_tracking_page_payment_refusals_change_nothing(client, factory, pay_world):
    code, phone = pay_world["code"], pay_world["phone"]
    wrong = client.post("/tra-cuu/thanh-toan", data={"code": code, "phone": "0900000000", "provider": "vietqr"})
    assert wrong.status_code == 404
    bad = client.post("/tra-cuu/thanh-toan", data={"code": code, "phone": phone, "provider": "momo"})
    assert bad.status_code == 422 and "Hình thức thanh toán không hợp lệ" in bad.get_data(as_text=True)
    assert _dossier(client, factory, code)["payment"]["status"] == "unpaid"
    free = assert_good_page(client.post("/tra-cuu", data={"code": pay_world["free"], "phone": phone}))
    assert "Thanh toán trực tuyến" not in free


def test_tracking_page_sends_to_the_gateway(client, factory, pay_world):
    response = client.post("/tra-cuu/thanh-toan", data={"code": pay_world["code"], "phone": pay_world["phone"],
                                                       "provider": "gateway"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith(GATEWAY["PAYMENT_GATEWAY_URL"] + "?")


def test_officer_confirms_a_transfer_and_the_receipt_is_linked(client, factory, pay_world):
    code = pay_world["code"]
    factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert "Xác nhận đã nhận chuyển khoản" in page
    # Without the tick nothing changes.
    client.post(f"/xa-a/dossiers/{code}/payment/confirm", data={"transaction_id": "FT1"})
    assert _dossier(client, factory, code)["payment"]["status"] == "unpaid"
    response = client.post(f"/xa-a/dossiers/{code}/payment/confirm",
                           data={"transaction_id": "FT26333123", "confirm": "y"})
    assert response.status_code == 302
    dossier = _dossier(client, factory, code)
    assert dossier["payment"]["status"] == "paid" and dossier["payment"]["receipt_number"]
    event = [e for e in dossier["history"] if e["action"] == "payment_paid"][-1]
    assert event["actor"] == "Lê Thị Tiếp" and event["payload"]["via"] == "officer"
    assert event["payload"]["transaction_id"] == "FT26333123"
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert dossier["payment"]["receipt_number"] in page and "Xác nhận đã nhận chuyển khoản" not in page
    receipt = re.search(r'href="(/api/v1/payments/[^"]+/receipt)"', page).group(1)
    assert client.get(receipt).mimetype == "application/pdf"
    # A second confirmation is refused: one receipt per fee.
    again = client.post(f"/xa-a/dossiers/{code}/payment/confirm", data={"confirm": "y"})
    assert again.status_code == 302
    assert len([e for e in _dossier(client, factory, code)["history"] if e["action"] == "payment_paid"]) == 1


def test_an_officer_of_another_commune_cannot_confirm(client, factory, pay_world):
    factory.login(client, "b.tiepnhan")
    response = client.post(f"/xa-b/dossiers/{pay_world['code']}/payment/confirm", data={"confirm": "y"})
    assert response.status_code == 404
    assert _dossier(client, factory, pay_world["code"])["payment"]["status"] == "unpaid"


def _statement_csv(code: str, amount: str) -> bytes:
    lines = ["SAO KE TAI KHOAN 0123456789", "", "Ngày giao dịch;Số tham chiếu;Diễn giải;Ghi nợ;Ghi có",
             f"29/11/2026;FT001;CT DEN:{code.replace('.', '').replace('-', ' ')} NGUYEN VAN BINH;;{amount}",
             "29/11/2026;FT002;PHI DICH VU;11.000;", "29/11/2026;FT003;KHONG CO MA HO SO;;50.000"]
    return "\n".join(lines).encode("utf-8")


def test_statement_import_page_confirms_matching_transfers(client, factory, pay_world):
    code = pay_world["code"]
    factory.login(client, "a.tiepnhan")
    assert_good_page(client.get("/xa-a/payments/statement"))
    wrong_amount = client.post("/xa-a/payments/statement", data={
        "file": (io.BytesIO(_statement_csv(code, "7.000")), "saoke.csv")}, content_type="multipart/form-data")
    assert "khác phí, lệ phí" in wrong_amount.get_data(as_text=True)
    assert _dossier(client, factory, code)["payment"]["status"] == "unpaid"
    response = client.post("/xa-a/payments/statement", data={
        "file": (io.BytesIO(_statement_csv(code, "8.000")), "saoke.csv")}, content_type="multipart/form-data")
    page = assert_good_page(response)
    assert "Đã xác nhận 1 giao dịch" in page and "Không có mã hồ sơ của đơn vị" in page
    dossier = _dossier(client, factory, code)
    assert dossier["payment"]["status"] == "paid"
    event = [e for e in dossier["history"] if e["action"] == "payment_paid"][-1]
    assert event["payload"]["via"] == "statement" and event["payload"]["transaction_id"] == "FT001"
    # The same statement again confirms nothing twice.
    again = client.post("/xa-a/payments/statement", data={
        "file": (io.BytesIO(_statement_csv(code, "8.000")), "saoke.csv")}, content_type="multipart/form-data")
    assert "Đã xác nhận 0 giao dịch" in again.get_data(as_text=True)
    for name, content in (("saoke.txt", b"x"), ("saoke.csv", b""), ("saoke.csv", b"a;b\n1;2"),
                          ("saoke.xlsx", b"not a workbook"), ("saoke.csv", "\xff".encode("latin-1")),
                          ("saoke.csv", b'a;b\n"' + b"x" * 200000)):
        refused = client.post("/xa-a/payments/statement", data={"file": (io.BytesIO(content), name)},
                              content_type="multipart/form-data")
        assert refused.status_code == 422, name


def test_statement_import_cli_reads_xlsx(app, runner, factory, pay_world, tmp_path):
    code = pay_world["code"]
    book = Workbook()
    sheet = book.active
    sheet.append(["Reference", "Description", "Credit"])
    sheet.append(["FT777", f"Chuyen khoan {code}", 8000])
    path = tmp_path / "statement.xlsx"
    book.save(path)
    refused = runner.invoke(args=["payments", "import-statement", str(path), "--unit", "xa-a", "--user", "b.tiepnhan"])
    assert refused.exit_code != 0
    result = runner.invoke(args=["payments", "import-statement", str(path), "--unit", "xa-a", "--user", "a.tiepnhan"])
    assert result.exit_code == 0, result.output
    assert f"{code} đã thanh toán" in result.output and "Đã xác nhận 1 giao dịch" in result.output
    with app.app_context():
        from core.extensions import db
        from core.payments.models import Payment

        payment = db.session.scalar(db.select(Payment))
        assert payment.status == "paid" and payment.confirmed_via == "statement" and payment.transaction_id == "FT777"


def test_payment_counts_for_the_index(app, client, factory, pay_world):
    from datetime import timedelta

    from core.localtime import today as local_today
    from core.payments import payment_counts
    from core.tenancy.services import get_unit_or_none

    factory.login(client, "a.tiepnhan")
    client.post(f"/xa-a/dossiers/{pay_world['code']}/payment/confirm", data={"confirm": "y"})
    with app.app_context():
        unit = get_unit_or_none("xa-a")
        today = local_today()  # the app's day is Vietnam's: from 17:00 UTC it is tomorrow
        assert payment_counts(unit, today - timedelta(days=1), today + timedelta(days=1)) == {
            "with_fee": 1, "paid_online": 1}
        assert payment_counts(unit, today + timedelta(days=2), today + timedelta(days=3)) == {
            "with_fee": 0, "paid_online": 0}
    # The service-quality index reads the same figures (online_services.online_payments).
    day = local_today().isoformat()
    own = client.application.test_client()
    body = own.get(f"/api/v1/reports/service-index?unit=xa-a&from={day}&to={day}",
                   headers=factory.token(own, "a.lanhdao")).get_json()
    group = next(g for g in body["groups"] if g["key"] == "online_services")
    indicator = next(i for i in group["indicators"] if i["key"] == "online_payments")
    assert indicator["value"] == 1.0 and indicator["points"] == indicator["max_points"]

