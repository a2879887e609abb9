"""Which documents a dossier offers, and plugin result documents inside the print layout."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader

from core.documents import available_documents, build_document
from core.plugins.types import DocumentTemplate
from tests.documents.conftest import document_url, html_text, pdf_text, vn

RECEIVED = vn(2026, 3, 3, 8, 5)
PAPER = DocumentTemplate(key="civil_status.test_paper", title="Giấy xác nhận thử nghiệm",
                         template="test_docs/paper.html", procedures=("civil_status.birth_registration",))
PAPER_BODY = """<h2>Nội dung xác nhận</h2>
<p>Trẻ được khai sinh: <b>{{ data.child_full_name }}</b>, sinh ngày {{ data.child_birth_date }}.</p>
<p>Mã hồ sơ {{ dossier.code }} · {{ unit.name }} · {{ procedure.name }}</p>
<table border="1"><tr><th>Cha</th><th>Mẹ</th></tr>
<tr><td>{{ data.father_full_name }}</td><td>{{ data.mother_full_name }}</td></tr></table>"""


def _keys(app, desk, code) -> list[tuple[str, str]]:
    with app.app_context():
        return [(k, t) for k, t in available_documents(desk.dossier(code)) if not k.startswith("civil_status.")]


def test_documents_follow_the_dossiers_state(app, desk):
    code = desk.receive(RECEIVED)
    assert _keys(app, desk, code) == [
        ("receipt", "Mẫu 01 · Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        ("control_sheet", "Mẫu 06 · Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    ]
    desk.act(code, "le.tiep.nhan", "request_supplement", vn(2026, 3, 3, 8, 30), missing_documents=["Tờ khai"],
             reason="Thiếu chữ ký")
    desk.act(code, "le.tiep.nhan", "apologize", vn(2026, 3, 3, 9, 0), reason="Chờ",
             new_due_at="2026-03-04T10:00:00+07:00")
    desk.act(code, "le.tiep.nhan", "withdraw", vn(2026, 3, 3, 9, 30))
    assert [k for k, _t in _keys(app, desk, code)] == ["receipt", "supplement_request", "apology", "stop_notice",
                                                       "control_sheet"]


def test_online_submission_then_refusal_offers_only_the_refusal(app, desk):
    code = desk.receive(vn(2026, 3, 2, 20, 0), channel="online")
    assert _keys(app, desk, code) == []
    desk.act(code, "le.tiep.nhan", "refuse", vn(2026, 3, 3, 8, 0), reason="Sai thủ tục")
    assert _keys(app, desk, code) == [("refusal", "Mẫu 03 · Phiếu từ chối tiếp nhận giải quyết hồ sơ")]


def test_2018_titles_and_numbers(app, desk):
    code = desk.receive(vn(2025, 3, 4, 8, 0))
    desk.act(code, "le.tiep.nhan", "apologize", vn(2025, 3, 4, 9, 0), reason="Chờ",
             new_due_at="2025-03-05T10:00:00+07:00")
    desk.act(code, "le.tiep.nhan", "withdraw", vn(2025, 3, 4, 9, 30))
    assert _keys(app, desk, code) == [
        ("receipt", "Mẫu 01 · Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        ("apology", "Mẫu 04 · Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        ("control_sheet", "Mẫu 05 · Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        ("stop_notice", "Thông báo dừng giải quyết hồ sơ"),
    ]


def test_available_documents_is_offered_where_the_dossier_page_looks(app, desk):
    from core.documents import views

    code = desk.receive(RECEIVED)
    with app.app_context():
        assert views.available_documents(desk.dossier(code))[0][0] == "receipt"


@pytest.fixture
def paper(app):
    """A plugin document template of the civil-status plugin, with its Jinja template."""
    app.extensions["motcua"].documents[PAPER.key] = PAPER
    app.jinja_loader.loaders.append(DictLoader({PAPER.template: PAPER_BODY}))
    return PAPER


def test_plugin_document_is_offered_once_the_result_is_ready(app, desk, paper):
    code = desk.receive(RECEIVED)
    with app.app_context():
        keys = [k for k, _t in available_documents(desk.dossier(code))]
    assert paper.key not in keys
    desk.act(code, "le.tiep.nhan", "assign", vn(2026, 3, 3, 9, 0), assignee="tran.chuyen.vien")
    desk.act(code, "tran.chuyen.vien", "submit_for_approval", vn(2026, 3, 3, 9, 30))
    desk.act(code, "pham.lanh.dao", "approve", vn(2026, 3, 3, 10, 0))
    with app.app_context():
        found = dict(available_documents(desk.dossier(code)))
    assert found[paper.key] == "Giấy xác nhận thử nghiệm"


def test_plugin_document_renders_in_the_print_layout(app, desk, paper, officer):
    code = desk.full_life(RECEIVED)
    body = officer.get(document_url(code, paper.key)).get_data(as_text=True)
    text = html_text(body)
    assert "GIẤY XÁC NHẬN THỬ NGHIỆM" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "UBND XÃ HOÀN SƠN" in text
    assert "Trẻ được khai sinh: <b>Trần Minh Khôi</b>, sinh ngày 2026-03-03." in body
    assert f"Mã hồ sơ {code} · Xã Hoàn Sơn · Đăng ký khai sinh" in text
    assert "Hoàn Sơn, ngày 03 tháng 3 năm 2026" in text  # issued on approval
    response = officer.get(document_url(code, paper.key + ".pdf"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'inline; filename="civil_status-test_paper-{code}.pdf"'
    pdf = pdf_text(response.data)
    assert "GIẤY XÁC NHẬN THỬ NGHIỆM" in pdf and "Trần Minh Khôi" in pdf and "Trần Văn Đức" in pdf
    assert "Nội dung xác nhận" in pdf


def test_plugin_document_escapes_dossier_data(app, desk, paper, officer):
    code = desk.full_life(RECEIVED)
    from core.extensions import db

    with app.app_context():
        dossier = desk.dossier(code)
        dossier.data = {**dossier.data, "child_full_name": "<script>alert(1)</script>"}
        db.session.commit()
    body = officer.get(document_url(code, paper.key)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body


def test_plugin_document_is_gone_when_the_plugin_is_disabled(app, desk, factory, paper, officer):
    code = desk.full_life(RECEIVED)
    factory.set_plugin("xa-hoan-son", "civil_status", False)
    assert officer.get(document_url(code, paper.key)).status_code == 404
    assert officer.get(document_url(code, paper.key + ".pdf")).status_code == 404
    assert officer.get(document_url(code, "receipt")).status_code == 200  # official forms stay printable


def test_plugin_document_for_another_procedure_is_not_offered(app, desk, officer):
    other = DocumentTemplate(key="civil_status.other", title="Khác", template="test_docs/paper.html",
                             procedures=("civil_status.death_registration",))
    app.extensions["motcua"].documents[other.key] = other
    code = desk.full_life(RECEIVED)
    assert officer.get(document_url(code, other.key)).status_code == 404


def test_plugin_markup_fpdf_cannot_lay_out_still_prints_its_text(app, desk, officer):
    nested = DocumentTemplate(key="civil_status.nested", title="Bảng lồng", template="test_docs/nested.html",
                              procedures=("civil_status.birth_registration",))
    app.extensions["motcua"].documents[nested.key] = nested
    app.jinja_loader.loaders.append(DictLoader({nested.template: (
        "<table><tr><td><table><tr><td>Ô lồng {{ data.child_full_name }}</td></tr></table></td></tr></table>")}))
    code = desk.full_life(RECEIVED)
    response = officer.get(document_url(code, nested.key + ".pdf"))
    assert response.status_code == 200
    assert "Ô lồng Trần Minh Khôi" in pdf_text(response.data)


def test_every_declared_plugin_document_of_a_returned_birth_renders(app, desk, officer):
    """Contract: whatever result papers plugins declare for the birth procedure print as HTML and PDF."""
    code = desk.full_life(RECEIVED)
    with app.app_context():
        declared = [k for k, _t in available_documents(desk.dossier(code)) if "." in k]
    for key in declared:
        html_response = officer.get(document_url(code, key))
        assert html_response.status_code == 200, key
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html_text(html_response.get_data(as_text=True))
        pdf_response = officer.get(document_url(code, key + ".pdf"))
        assert pdf_response.status_code == 200, key
        assert code in pdf_text(pdf_response.data).replace(" ", "") or code in pdf_text(pdf_response.data)


def test_build_document_outside_a_request(app, desk):
    code = desk.receive(RECEIVED)
    with app.app_context():
        document = build_document(desk.dossier(code), "receipt")
        assert document.title == "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
        assert any(code in line for line in document.text_lines())
        assert build_document(desk.dossier(code), "refusal") is None
        assert build_document(desk.dossier(code), "civil_status.birth_extract") is None  # result not ready
