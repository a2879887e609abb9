"""The papers of a land dossier as the officers print them (issue 10 item 8): the real fees and financial obligations
on the dossier page and the receipt (DAY-15), and the land office's own header and place line (LAW-10)."""

from __future__ import annotations

import re

from tests.documents.conftest import html_text, pdf_text
from tests.plugins.conftest import print_document
from tests.plugins.test_land_procedures import CHANGE, change

TAX_TEXT = "theo thông báo của cơ quan thuế"


def _page(client, factory, username: str, path: str) -> str:
    factory.login(client, username)
    response = client.get(path)
    client.post("/logout")
    assert response.status_code == 200, (path, response.status_code)
    return html_text(response.get_data(as_text=True))


def _fee_on_page(text: str) -> str:
    found = re.search(r"Phí, lệ phí (.*?) Đơn vị tiếp nhận", text)
    assert found, text[:2000]
    return found.group(1)


def test_land_fees_are_never_shown_as_free(api, client, factory):
    code = api.receive("xa-a", CHANGE, change())["code"]
    page_fee = _fee_on_page(_page(client, factory, "recv.xa-a", f"/xa-a/dossiers/{code}"))
    assert TAX_TEXT in page_fee and "Nghị quyết HĐND" in page_fee and "Miễn phí" not in page_fee
    receipt = html_text(print_document(client, factory, "xa-a", code, "receipt").get_data(as_text=True))
    assert "Phí, lệ phí: Lệ phí cấp Giấy chứng nhận theo Nghị quyết HĐND tỉnh" in receipt
    assert TAX_TEXT in receipt and "0 đồng" not in receipt
    assert TAX_TEXT in pdf_text(print_document(client, factory, "xa-a", code, "receipt", pdf=True).data)


def test_recorded_financial_obligation_shows_its_amount_then_that_it_is_paid(api, client, factory):
    code = api.receive("xa-a", CHANGE, change())["code"]
    api.ok(api.act(code, "transfer", "recv.xa-a", to_unit="vpdk"))
    api.ok(api.act(code, "assign", "recv.vpdk", assignee="spec.vpdk"))
    api.ok(api.act(code, "request_payment", "spec.vpdk", amount=1_250_000))
    due = _fee_on_page(_page(client, factory, "spec.vpdk", f"/vpdk/dossiers/{code}"))
    assert "Nghĩa vụ tài chính: 1.250.000 đồng (chưa thực hiện)" in due and TAX_TEXT in due
    api.ok(api.act(code, "payment_received", "recv.vpdk"))
    paid = _fee_on_page(_page(client, factory, "recv.xa-a", f"/xa-a/dossiers/{code}"))
    assert "Nghĩa vụ tài chính: 1.250.000 đồng (đã thực hiện)" in paid
    receipt = html_text(print_document(client, factory, "xa-a", code, "receipt").get_data(as_text=True))
    assert "Nghĩa vụ tài chính: 1.250.000 đồng (đã thực hiện)" in receipt


def test_land_office_forms_carry_its_own_header_and_a_place_name(api, client, factory):
    """LAW-10: no one-stop desk line under the office's name, and the district's name as the place."""
    code = api.receive("xa-a", CHANGE, change())["code"]
    api.ok(api.act(code, "transfer", "recv.xa-a", to_unit="vpdk"))
    api.ok(api.act(code, "assign", "recv.vpdk", assignee="spec.vpdk"))
    api.ok(api.act(code, "request_supplement", "spec.vpdk", missing_documents=["Hợp đồng chuyển nhượng có công chứng"],
                   reason="Thiếu hợp đồng"))
    notice = html_text(print_document(client, factory, "vpdk", code, "supplement_request").get_data(as_text=True))
    assert "CHI NHÁNH VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI HUYỆN TEST" in notice
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" not in notice
    assert re.search(r"Huyen Test, ngày \d\d tháng \d+ năm \d{4}", notice)
    assert "Chi nhánh Văn phòng đăng ký đất đai huyện Test, ngày" not in notice
    # LAW-13: a paper typed as free text still says in which form to bring it; the contact phone line is there
    assert re.search(r"Hợp đồng chuyển nhượng có công chứng Bản chính hoặc bản sao 1", notice)
    assert "Số điện thoại liên hệ:" in notice
    # DAY-18: the contact is the office, with the officer named once
    assert "liên hệ Chi nhánh Văn phòng đăng ký đất đai huyện Test (người hướng dẫn: Spec Vpdk)" in notice
    api.ok(api.act(code, "supplement_received", "recv.vpdk"))
    api.ok(api.act(code, "submit_for_approval", "spec.vpdk"))
    api.ok(api.act(code, "approve", "lead.vpdk"))
    result = html_text(print_document(client, factory, "vpdk", code, "land.change_result").get_data(as_text=True))
    assert re.search(r"Huyen Test, ngày \d\d tháng \d+ năm \d{4}", result)
    assert "tiếp nhận tại xã An Bình" in result  # a unit's kind in lower case mid-sentence
    assert "GIÁM ĐỐC" in result and "Lead Vpdk" in result  # the signer's name under the signature
    pdf = pdf_text(print_document(client, factory, "vpdk", code, "land.change_result", pdf=True).data)
    assert "Lead Vpdk" in pdf and "Huyen Test, ngày" in pdf
