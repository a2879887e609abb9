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


def test_issued_result_stays_printable_after_the_plugin_is_disabled(app, desk, factory, paper, officer):
    """KIT-15: disabling a plugin stops new work; a result already given to the citizen can still be reprinted."""
    issued = desk.full_life(RECEIVED)
    pending = desk.receive(vn(2026, 3, 3, 9, 0))
    desk.act(pending, "le.tiep.nhan", "assign", vn(2026, 3, 3, 9, 5), assignee="tran.chuyen.vien")
    desk.act(pending, "tran.chuyen.vien", "submit_for_approval", vn(2026, 3, 3, 9, 10))
    factory.set_plugin("xa-hoan-son", "civil_status", False)
    response = officer.get(document_url(issued, paper.key))
    assert response.status_code == 200
    assert "Trần Minh Khôi" in html_text(response.get_data(as_text=True))
    assert "Trần Minh Khôi" in pdf_text(officer.get(document_url(issued, paper.key + ".pdf")).data)
    assert paper.key in [k for k, _t in _all_keys(app, desk, issued)]
    assert officer.get(document_url(issued, "receipt")).status_code == 200  # official forms stay printable
    # nothing new is issued or drafted through a disabled plugin
    assert officer.get(f"/xa-hoan-son/dossiers/{pending}/drafts/{paper.key}").status_code == 404


def _all_keys(app, desk, code) -> list[tuple[str, str]]:
    with app.app_context():
        return available_documents(desk.dossier(code))


def _to_approval(desk, when) -> str:
    code = desk.receive(when)
    desk.act(code, "le.tiep.nhan", "assign", when.replace(minute=10), assignee="tran.chuyen.vien")
    desk.act(code, "tran.chuyen.vien", "submit_for_approval", when.replace(minute=20))
    return code


def test_leader_previews_the_result_as_a_draft_before_approving(app, desk, factory, paper, client):
    """DAY-04: the result paper can be read, marked DỰ THẢO and without a signer, before "Phê duyệt, ký"."""
    code = _to_approval(desk, vn(2026, 3, 3, 9, 0))
    factory.login(client, "pham.lanh.dao")
    assert client.get(document_url(code, paper.key)).status_code == 404  # not issued yet
    draft_url = f"/xa-hoan-son/dossiers/{code}/drafts/{paper.key}"
    body = client.get(draft_url).get_data(as_text=True)
    text = html_text(body)
    assert "DỰ THẢO" in text and "chưa phê duyệt" in text
    assert "Trần Minh Khôi" in text and "GIẤY XÁC NHẬN THỬ NGHIỆM" in text
    pdf = client.get(draft_url + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "DỰ THẢO" in pdf_text(pdf.data) and "Trần Minh Khôi" in pdf_text(pdf.data)
    assert f'filename="civil_status-test_paper-{code}-du-thao.pdf"' in pdf.headers["Content-Disposition"]
    page = client.get(f"/xa-hoan-son/dossiers/{code}").get_data(as_text=True)
    assert f'src="{draft_url}?embed=1"' in page  # the preview frame on the dossier page
    assert f'href="{draft_url}.pdf"' in page
    # official forms have no drafts, and an approved dossier has its real paper instead
    assert client.get(f"/xa-hoan-son/dossiers/{code}/drafts/receipt").status_code == 404
    desk.act(code, "pham.lanh.dao", "approve", vn(2026, 3, 3, 10, 0))
    assert client.get(draft_url).status_code == 404
    issued = html_text(client.get(document_url(code, paper.key)).get_data(as_text=True))
    assert "DỰ THẢO" not in issued
    assert draft_url not in client.get(f"/xa-hoan-son/dossiers/{code}").get_data(as_text=True)


def test_drafts_follow_the_dossier_access_rules(app, desk, factory, paper, client):
    code = _to_approval(desk, vn(2026, 3, 3, 9, 0))
    factory.login(client, "vu.lien.bao")  # staff of another commune
    assert client.get(f"/xa-lien-bao/dossiers/{code}/drafts/{paper.key}").status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/xa-hoan-son/dossiers/{code}/drafts/{paper.key}").status_code in (302, 401)


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
