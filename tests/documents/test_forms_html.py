"""Each official form rendered as printable HTML for real dossiers built through the services."""

from __future__ import annotations

import re

import pytest

from core.documents.render import qr_svg
from tests.documents.conftest import APPLICANT, document_url, html_text, pdf_text, vn

RECEIVED = vn(2026, 3, 3, 8, 5)  # Tuesday, a working day: same-day procedure due 17:00 that day


def _page(client, code: str, form: str, unit: str = "xa-hoan-son") -> str:
    response = client.get(document_url(code, form, unit))
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def test_receipt_prints_the_dossier_fields_of_form_01(desk, officer):
    code = desk.receive(RECEIVED)
    body = _page(officer, code, "receipt")
    text = html_text(body)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Mẫu số 01 (Thông tư số 03/2025/TT-VPCP)" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "UBND XÃ HOÀN SƠN" in text and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in text
    assert f"Mã hồ sơ: {code}" in text
    assert code.startswith("000.00.27.H04-260303-")
    assert "Tiếp nhận hồ sơ của: Nguyễn Thị Hoà" in text
    assert APPLICANT["address"] in text and APPLICANT["phone"] in text and APPLICANT["email"] in text
    assert "Nội dung yêu cầu giải quyết: Đăng ký khai sinh" in text
    assert "4. Thời gian nhận hồ sơ: 08 giờ 05 phút, ngày 03/03/2026" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 03/03/2026" in text
    assert "Trong ngày làm việc (tiếp nhận sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo)" in text
    assert "2. Số lượng hồ sơ: 01 (bộ)" in text
    assert "Hoàn Sơn, ngày 03 tháng 3 năm 2026" in text
    assert "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 1" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text.upper() and "Người tiếp nhận hồ sơ" in text and "Lê Thị Tiếp" in text
    # the procedure's required documents, one table row each
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    assert any("Tờ khai đăng ký khai sinh" in row for row in rows)
    assert '<html lang="vi">' in body
    assert "@page { size: A4 portrait" in body


def test_receipt_qr_code_opens_the_public_tracking_page(desk, officer):
    code = desk.receive(RECEIVED)
    body = _page(officer, code, "receipt")
    url = f"http://localhost/tra-cuu?code={code}"
    assert url in html_text(body)
    assert str(qr_svg(url)) in body  # the very QR symbol of that address (segno is deterministic)
    assert str(qr_svg(url + "x")) not in body


@pytest.mark.app_config(PUBLIC_BASE_URL="https://motcua.bacninh.gov.vn")
def test_receipt_qr_uses_the_public_base_url(desk, officer):
    code = desk.receive(RECEIVED)
    body = _page(officer, code, "receipt")
    assert str(qr_svg(f"https://motcua.bacninh.gov.vn/tra-cuu?code={code}")) in body


def test_receipt_after_the_cutoff_gives_the_next_working_day(desk, officer):
    code = desk.receive(vn(2026, 3, 6, 15, 30))  # Friday after 15:00 → Monday 09/03 close
    text = html_text(_page(officer, code, "receipt"))
    assert "4. Thời gian nhận hồ sơ: 15 giờ 30 phút, ngày 06/03/2026" in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 09/03/2026" in text


def test_receipt_numbers_follow_the_year_volume(desk, officer):
    first = desk.receive(vn(2026, 3, 3, 8, 0))
    second = desk.receive(vn(2026, 3, 3, 8, 30))
    desk.receive(vn(2026, 3, 3, 9, 0), unit="xa-lien-bao", officer="vu.lien.bao")  # another book
    assert "Số thứ tự: 1" in html_text(_page(officer, first, "receipt"))
    assert "Số thứ tự: 2" in html_text(_page(officer, second, "receipt"))


def test_receipt_of_a_postal_dossier_returns_by_post(desk, officer):
    code = desk.receive(RECEIVED, channel="postal")
    text = html_text(_page(officer, code, "receipt"))
    assert "6. Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích" in text


def test_online_submission_has_a_receipt_only_once_received(desk, officer):
    code = desk.receive(vn(2026, 3, 2, 21, 0), channel="online")
    assert officer.get(document_url(code, "receipt")).status_code == 404
    assert officer.get(document_url(code, "control_sheet")).status_code == 404
    desk.act(code, "le.tiep.nhan", "receive", vn(2026, 3, 3, 7, 45))
    text = html_text(_page(officer, code, "receipt"))
    assert "4. Thời gian nhận hồ sơ: 07 giờ 45 phút, ngày 03/03/2026" in text


def test_supplement_request_lists_the_missing_documents_and_reason(desk, officer):
    code = desk.receive(RECEIVED)
    assert officer.get(document_url(code, "supplement_request")).status_code == 404
    desk.act(code, "le.tiep.nhan", "assign", vn(2026, 3, 3, 9, 0), assignee="tran.chuyen.vien")
    desk.act(code, "tran.chuyen.vien", "request_supplement", vn(2026, 3, 3, 10, 0),
             missing_documents=["Giấy chứng nhận kết hôn của cha mẹ (nếu có)", "Giấy xác nhận cư trú"],
             reason="Thiếu giấy tờ chứng minh quan hệ cha con")
    body = _page(officer, code, "supplement_request")
    text = html_text(body)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Mẫu số 02" in text
    assert "Tiếp nhận hồ sơ/yêu cầu của Ông/Bà: Nguyễn Thị Hoà" in text
    assert "Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:" in text
    rows = [html_text(r).strip() for r in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]]
    assert rows[0].startswith("1 Giấy chứng nhận kết hôn của cha mẹ (nếu có) Bản sao")
    assert rows[1].startswith("2 Giấy xác nhận cư trú")
    assert "Lý do: Thiếu giấy tờ chứng minh quan hệ cha con" in text
    assert "Người hướng dẫn" in text and "Trần Văn Chuyên" in text
    assert "Hoàn Sơn, ngày 03 tháng 3 năm 2026" in text


def test_refusal_states_the_reason_and_only_exists_for_refused_dossiers(desk, officer):
    code = desk.receive(RECEIVED)
    assert officer.get(document_url(code, "refusal")).status_code == 404
    desk.act(code, "le.tiep.nhan", "refuse", vn(2026, 3, 3, 8, 20), reason="Không thuộc thẩm quyền giải quyết")
    text = html_text(_page(officer, code, "refusal"))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số 03" in text
    assert "Lý do: Không thuộc thẩm quyền giải quyết" in text
    assert "Tiếp nhận hồ sơ của: Nguyễn Thị Hoà" in text
    assert f"Mã hồ sơ: {code}" in text
    assert "Lê Thị Tiếp" in text


def test_refusal_of_an_online_submission(desk, officer):
    code = desk.receive(vn(2026, 3, 2, 21, 0), channel="online")
    desk.act(code, "le.tiep.nhan", "refuse", vn(2026, 3, 3, 8, 0), reason="Hồ sơ giả mạo")
    assert "Lý do: Hồ sơ giả mạo" in html_text(_page(officer, code, "refusal"))
    assert officer.get(document_url(code, "receipt")).status_code == 404  # never received


def test_apology_2025_asks_for_an_extension_with_the_new_date(desk, officer):
    code = desk.receive(RECEIVED)
    assert officer.get(document_url(code, "apology")).status_code == 404
    desk.act(code, "le.tiep.nhan", "assign", vn(2026, 3, 3, 9, 0), assignee="tran.chuyen.vien")
    desk.act(code, "tran.chuyen.vien", "apologize", vn(2026, 3, 3, 15, 0), reason="Chờ xác minh nơi sinh",
             new_due_at="2026-03-05T16:00:00+07:00")
    text = html_text(_page(officer, code, "apology"))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text
    assert "Mẫu số 04 (Thông tư số 03/2025/TT-VPCP)" in text
    assert "Kính gửi: Ông/Bà Nguyễn Thị Hoà" in text
    assert "Thời gian hẹn trả kết quả: 17 giờ 00 phút, ngày 03/03/2026" in text
    assert "Lý do: Chờ xác minh nơi sinh" in text
    assert "đề nghị gia hạn thời gian giải quyết, hẹn trả kết quả vào: 16 giờ 00 phút, ngày 05/03/2026" in text
    assert "Thủ trưởng cơ quan, đơn vị làm sai, lỡ hẹn".upper() in text.upper()


def test_apology_2018_is_the_apology_and_new_appointment_slip(desk, officer):
    code = desk.receive(vn(2025, 3, 4, 8, 0))
    desk.act(code, "le.tiep.nhan", "apologize", vn(2025, 3, 4, 14, 0), reason="Mất điện",
             new_due_at="2025-03-05T10:30:00+07:00")
    text = html_text(_page(officer, code, "apology"))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Mẫu số 04 (Thông tư số 01/2018/TT-VPCP)" in text
    assert "hẹn trả kết quả vào: 10 giờ 30 phút, ngày 05/03/2025" in text
    assert "gia hạn" not in text


def test_stop_notice_for_a_withdrawn_dossier(desk, officer):
    code = desk.receive(RECEIVED)
    assert officer.get(document_url(code, "stop_notice")).status_code == 404
    desk.act(code, "le.tiep.nhan", "withdraw", vn(2026, 3, 3, 11, 10), note="Công dân nộp đơn rút hồ sơ")
    text = html_text(_page(officer, code, "stop_notice"))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số 05 (Thông tư số 03/2025/TT-VPCP)" in text
    assert "thông báo dừng giải quyết hồ sơ nêu trên kể từ 11 giờ 10 phút, ngày 03/03/2026" in text
    assert "Ghi chú: Công dân nộp đơn rút hồ sơ" in text
    assert f"mã hồ sơ {code}" in text


def test_stop_notice_after_the_applicants_own_request_gives_their_reason(desk, officer):
    from sqlalchemy import select

    from core.dossiers import public
    from core.dossiers.models import Dossier
    from core.extensions import db

    code = desk.receive(RECEIVED)
    with desk.app.test_request_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        public.request_withdrawal(dossier, "Đã đăng ký tại nơi cư trú khác", now=vn(2026, 3, 3, 10, 0))
    desk.act(code, "le.tiep.nhan", "withdraw", vn(2026, 3, 3, 11, 10))
    text = html_text(_page(officer, code, "stop_notice"))
    assert "Lý do rút hồ sơ: Đã đăng ký tại nơi cư trú khác" in text
    assert "kể từ 11 giờ 10 phút, ngày 03/03/2026" in text


def test_stop_notice_of_the_2018_set_is_not_numbered(desk, officer):
    code = desk.receive(vn(2025, 3, 4, 8, 0))
    desk.act(code, "le.tiep.nhan", "withdraw", vn(2025, 3, 4, 9, 0))
    text = html_text(_page(officer, code, "stop_notice"))
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số" not in text


def _sheet_rows(body: str) -> list[str]:
    return [html_text(r).strip() for r in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)[1:]]


def test_control_sheet_has_one_row_per_handover(desk, officer):
    code = desk.full_life(RECEIVED)
    body = _page(officer, code, "control_sheet")
    text = html_text(body)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số 06 (Thông tư số 03/2025/TT-VPCP)" in text
    assert f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả mã số: {code})" in text
    assert "@page { size: A4 landscape" in body
    rows = _sheet_rows(body)
    assert len(rows) == 7
    expected = [
        ("1 ", "Giao: Ông/Bà Nguyễn Thị Hoà", "08 giờ 05 phút, ngày 03/03/2026", "Tiếp nhận hồ sơ"),
        ("2 ", "Nhận: Chuyên viên xử lý, xã Hoàn Sơn", "09 giờ 30 phút, ngày 03/03/2026", "Trần Văn Chuyên"),
        ("3 ", "Nhận: Lãnh đạo xã Hoàn Sơn", "10 giờ 15 phút, ngày 03/03/2026", "Trình lãnh đạo phê duyệt"),
        ("4 ", "Giao: Lãnh đạo xã Hoàn Sơn", "10 giờ 40 phút, ngày 03/03/2026", "Sai tên nơi sinh"),
        ("5 ", "Nhận: Lãnh đạo xã Hoàn Sơn", "11 giờ 00 phút, ngày 03/03/2026", "Trình lãnh đạo phê duyệt"),
        ("6 ", "Giao: Lãnh đạo xã Hoàn Sơn", "14 giờ 05 phút, ngày 03/03/2026", "Phạm Quốc Đạo"),
        ("7 ", "Nhận: Ông/Bà Nguyễn Thị Hoà", "16 giờ 20 phút, ngày 03/03/2026", "Trả kết quả"),
    ]
    for row, parts in zip(rows, expected, strict=True):
        assert row.startswith(parts[0])
        for part in parts[1:]:
            assert part in row, (part, row)
    assert "Đúng hạn" in rows[5] and "Quá hạn" not in text


def test_control_sheet_marks_late_handovers_and_transfers(desk, officer):
    code = desk.receive(RECEIVED)
    desk.act(code, "le.tiep.nhan", "transfer", vn(2026, 3, 3, 9, 0), to_unit="xa-lien-bao")
    desk.act(code, "vu.lien.bao", "assign", vn(2026, 3, 4, 8, 0), assignee="vu.lien.bao")  # after the due moment
    rows = _sheet_rows(_page(officer, code, "control_sheet"))
    assert len(rows) == 3
    assert "Giao: Xã Hoàn Sơn" in rows[1] and "Nhận: Xã Liên Bão" in rows[1] and "Đúng hạn" in rows[1]
    assert "Chuyên viên xử lý, xã Liên Bão" in rows[2] and "Quá hạn" in rows[2]
    text = html_text(_page(officer, code, "control_sheet"))
    assert "Cơ quan giải quyết hồ sơ: Xã Liên Bão" in text
    # LAW-11: the desk that only received and passed the dossier on is where it was filed, not a coordinating agency
    assert "Cơ quan phối hợp giải quyết hồ sơ: Không" in text
    assert "Nơi tiếp nhận hồ sơ: Trung tâm Phục vụ hành chính công xã Hoàn Sơn" in text


def test_control_sheet_of_a_transfer_after_processing_names_the_coordinating_unit(desk, officer):
    code = desk.receive(RECEIVED)
    desk.act(code, "le.tiep.nhan", "assign", vn(2026, 3, 3, 8, 30), assignee="tran.chuyen.vien")
    desk.act(code, "tran.chuyen.vien", "transfer", vn(2026, 3, 3, 9, 0), to_unit="xa-lien-bao")
    text = html_text(_page(officer, code, "control_sheet"))
    assert "Cơ quan giải quyết hồ sơ: Xã Liên Bão" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: Xã Hoàn Sơn" in text


def test_control_sheet_of_a_dossier_decided_by_another_commune_has_the_handover_row(app, desk, factory, officer):
    """LAW-11: a death received at Hoàn Sơn and decided where the deceased lived (Liên Bão): row A→B, then B's."""
    from core.dossiers import services
    from core.tenancy.services import get_unit_or_none

    factory.user("lanh.dao.lien.bao", ("leader", "xa-lien-bao"), full_name="Đinh Văn Lãnh")
    data = {"deceased_full_name": "Phạm Văn Bảy", "deceased_birth_date": "1940-02-03", "death_date": "2026-03-01",
            "death_place": "Tại nhà, thôn Đông", "declarant_relationship": "child", "residence_unit": "xa-lien-bao"}
    from tests.documents.conftest import APPLICANT

    with app.test_request_context():
        code = services.create_dossier(get_unit_or_none("xa-hoan-son"), "civil_status.death_registration",
                                       "counter", dict(APPLICANT), data, desk.user("le.tiep.nhan"),
                                       now=RECEIVED).dossier.code
    desk.act(code, "lanh.dao.lien.bao", "assign", vn(2026, 3, 3, 9, 0), assignee="vu.lien.bao")
    rows = _sheet_rows(_page(officer, code, "control_sheet"))
    assert len(rows) == 3
    assert "Giao: Ông/Bà Nguyễn Thị Hoà" in rows[0] and "Nhận: Trung tâm Phục vụ hành chính công xã Hoàn Sơn" in rows[0]
    assert ("Giao: Trung tâm Phục vụ hành chính công xã Hoàn Sơn" in rows[1]
            and "Nhận: Trung tâm Phục vụ hành chính công xã Liên Bão" in rows[1] and "Lê Thị Tiếp" in rows[1])
    assert ("Giao: Trung tâm Phục vụ hành chính công xã Liên Bão" in rows[2]
            and "Nhận: Chuyên viên xử lý, xã Liên Bão" in rows[2] and "Đinh Văn Lãnh" in rows[2])
    text = html_text(_page(officer, code, "control_sheet"))
    assert "Cơ quan giải quyết hồ sơ: Xã Liên Bão" in text
    assert "Cơ quan phối hợp giải quyết hồ sơ: Không" in text
    tracking = html_text(app.test_client().get("/tra-cuu", query_string={"code": code, "phone": APPLICANT["phone"]})
                         .get_data(as_text=True))
    assert "Tiếp nhận hồ sơ" in tracking and "Chuyển đến Xã Liên Bão giải quyết" in tracking


def test_public_tracking_names_where_a_transferred_dossier_went(app, desk):
    code = desk.receive(RECEIVED)
    desk.act(code, "le.tiep.nhan", "transfer", vn(2026, 3, 3, 9, 0), to_unit="xa-lien-bao")
    tracking = html_text(app.test_client().get("/tra-cuu", query_string={"code": code, "phone": APPLICANT["phone"]})
                         .get_data(as_text=True))
    assert "Chuyển liên thông đến Xã Liên Bão" in tracking


def test_control_sheet_of_a_2018_dossier_is_form_05(desk, officer):
    code = desk.full_life(vn(2025, 3, 4, 8, 5))
    text = html_text(_page(officer, code, "control_sheet"))
    assert "Mẫu số 05 (Thông tư số 01/2018/TT-VPCP)" in text
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in text


def test_form_set_follows_the_reception_date(desk, officer):
    """LAW-12: the Circular in force on the reception day decides, not the procedure's version (2025 from 01/07)."""
    before = desk.receive(vn(2025, 9, 12, 9, 0))  # Friday before Circular 03/2025 (15/09/2025): the 2018 set
    after = desk.receive(vn(2025, 9, 15, 9, 0))
    old, new = html_text(_page(officer, before, "receipt")), html_text(_page(officer, after, "receipt"))
    assert "Thông tư số 01/2018/TT-VPCP" in old and "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in old
    assert "Thông tư số 03/2025/TT-VPCP" in new and "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in new
    summer = desk.receive(vn(2025, 7, 10, 9, 0))  # the procedure's 2025 version, still the 2018 forms
    assert "Thông tư số 01/2018/TT-VPCP" in html_text(_page(officer, summer, "receipt"))
    assert "Mẫu 05 · Phiếu kiểm soát" in officer.get(f"/xa-hoan-son/dossiers/{summer}").get_data(as_text=True)


def test_unit_print_settings_replace_the_header(app, factory, client):
    factory.commune("phuong-dong-nguyen", name="Phường Đông Nguyên",
                    settings=None)
    from core.extensions import db
    from core.tenancy.services import get_unit_or_none

    with app.app_context():
        unit = get_unit_or_none("phuong-dong-nguyen")
        unit.settings = {"documents": {"agency": "UBND phường Đông Nguyên", "desk": "Bộ phận Một cửa",
                                       "place": "Từ Sơn"}}
        db.session.commit()
    factory.user("ngo.mot.cua", ("reception", "phuong-dong-nguyen"))
    from tests.documents.conftest import Desk

    code = Desk(app, factory, slug="phuong-dong-nguyen").receive(RECEIVED, officer="ngo.mot.cua")
    factory.login(client, "ngo.mot.cua")
    text = html_text(_page(client, code, "receipt", unit="phuong-dong-nguyen"))
    assert "UBND PHƯỜNG ĐÔNG NGUYÊN" in text and "BỘ PHẬN MỘT CỬA" in text
    assert "Từ Sơn, ngày 03 tháng 3 năm 2026" in text


def test_unknown_form_is_not_found(desk, officer):
    code = desk.receive(RECEIVED)
    for form in ("nothing", "receipt.txt", "civil_status.nope", "receipt.pdf.pdf"):
        response = officer.get(document_url(code, form))
        assert response.status_code == 404
        assert "Không tìm thấy" in response.get_data(as_text=True)  # the HTML error page


def test_apology_has_a_document_number_line(desk, officer):
    """LAW-13: Mẫu 04 is the agency's letter: a "Số:" line under its name (filled from the agency's register)."""
    code = desk.receive(RECEIVED)
    desk.act(code, "le.tiep.nhan", "apologize", vn(2026, 3, 3, 15, 0), reason="Chờ xác minh",
             new_due_at="2026-03-05T16:00:00+07:00")
    text = html_text(_page(officer, code, "apology"))
    assert "Số: ……/……" in text and f"Mã hồ sơ: {code}" in text


def test_receipt_email_line_is_printed_even_when_empty(desk, officer):
    """LAW-13: the e-mail line is part of Mẫu 01; without an address it stays, blank, to be filled by hand."""
    applicant = {k: v for k, v in APPLICANT.items() if k != "email"}
    code = desk.receive(RECEIVED, applicant=applicant)
    body = _page(officer, code, "receipt")
    assert "Thư điện tử:" in html_text(body)
    assert "Thư điện tử:" in pdf_text(officer.get(document_url(code, "receipt.pdf")).data)


def test_receipt_in_the_dossier_frame_has_no_toolbar(desk, officer):
    """DAY-16: the dossier page frames the sheet bare (its own buttons print it); opened alone it has its toolbar."""
    code = desk.receive(RECEIVED)
    alone = _page(officer, code, "receipt")
    assert 'class="doc-toolbar' in alone and "Quay lại" in alone
    framed = officer.get(document_url(code, "receipt") + "?embed=1").get_data(as_text=True)
    assert "doc-toolbar" not in framed and "Quay lại" not in framed and "<a " not in framed
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html_text(framed)


def test_birth_extract_names_the_unit_in_lower_case_and_the_signer(desk, officer):
    """DAY-18: "Ủy ban nhân dân xã Hoàn Sơn" mid-sentence, the leader who approved named in the signer block, and
    the official serif in the PDF with line spacing for stacked diacritics."""
    code = desk.full_life(RECEIVED)
    text = html_text(_page(officer, code, "civil_status.birth_extract"))
    assert "Nơi đăng ký khai sinh: Ủy ban nhân dân xã Hoàn Sơn" in text
    assert "Ủy ban nhân dân Xã Hoàn Sơn" not in text
    assert "NGƯỜI KÝ TRÍCH LỤC" in text and "Phạm Quốc Đạo" in text  # pham.lanh.dao approved it
    pdf = officer.get(document_url(code, "civil_status.birth_extract.pdf")).data
    assert "Phạm Quốc Đạo" in pdf_text(pdf) and "Ủy ban nhân dân xã Hoàn Sơn" in pdf_text(pdf)


def test_document_toolbar_speaks_the_readers_language_and_the_sheet_stays_vietnamese(desk, officer):
    """DAY-33: the screen toolbar follows the reader's language; the official paper under it is Vietnamese."""
    code = desk.receive(RECEIVED)
    body = officer.get(document_url(code, "receipt") + "?lang=en").get_data(as_text=True)
    toolbar = body[body.index("<nav"):body.index("</nav>")]
    assert 'lang="en"' in toolbar and "Download PDF" in toolbar and "Back" in toolbar
    assert "Tải PDF" not in toolbar and "Quay lại" not in toolbar
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html_text(body) and '<html lang="vi">' in body
