"""Counter reception as the law has it, and safe data entry, driven through the pages and the API.

Optional "(nếu có)" papers never block reception; what was handed in is recorded and Mẫu 01 lists it; a dossier guided
(Mẫu 02) or refused (Mẫu 03) at the desk is not a reception; numbers with a decimal comma and day-first dates are read
as Vietnamese officers type them; every mistake is reported in one pass with a linked summary.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from tests.web.helpers import APPLICANT, BIRTH, act, birth_data, counter_form_data
from tests.web.html_checks import assert_good_page

COUNTER = f"/xa-a/tiep-nhan/{BIRTH}"
CHANGE = "land.change_registration"
MARRIAGE_CERTIFICATE = "Giấy chứng nhận kết hôn của cha mẹ (nếu có)"


def _code(response) -> str:
    return re.search(r"/dossiers/([^/?]+)", response.headers["Location"]).group(1)


def _dossier(app, code: str) -> dict:
    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.app_context():
        d = db.session.scalar(select(Dossier).where(Dossier.code == code))
        row = {"status": d.status, "received_at": d.received_at, "due_at": d.due_at, "data": dict(d.data),
               "events": [e.action for e in d.events],
               "documents": [(p.name, p.required, p.provided) for p in d.documents]}
        db.session.remove()
    return row


def _counted(app) -> dict:
    """The report flows of every unit, summed (what the monthly report reads)."""
    from core.extensions import db
    from core.reports.models import ReportCount

    with app.app_context():
        row = db.session.execute(select(func.coalesce(func.sum(ReportCount.new_counter), 0),
                                        func.coalesce(func.sum(ReportCount.refused), 0))
                                 .where(ReportCount.grain == "D")).one()
        db.session.remove()
    return {"counter": row[0], "refused": row[1]}


def _dossier_count(app) -> int:
    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.app_context():
        n = db.session.scalar(select(func.count(Dossier.id)))
        db.session.remove()
    return n


def _papers(app, procedure: str = BIRTH) -> list[str]:
    from core.plugins.manager import get_procedure

    with app.app_context():
        return [d.name for d in get_procedure(procedure).required_documents]


# --- optional papers, what was handed in, Mẫu 01 ---------------------------------------------------------------------


def test_an_optional_paper_left_unticked_does_not_block_and_the_receipt_lists_what_was_handed_in(app, desk, client):
    papers = _papers(app)
    optional = papers.index(MARRIAGE_CERTIFICATE)
    desk.factory.login(client, "a.tiepnhan")
    ticked = [i for i in range(len(papers)) if i != optional]
    response = client.post(COUNTER, data=counter_form_data(documents=ticked))
    assert response.status_code == 302 and "print=receipt" in response.headers["Location"]
    code = _code(response)
    dossier = _dossier(app, code)
    assert dossier["status"] == "received"
    assert (MARRIAGE_CERTIFICATE, False, False) in dossier["documents"]
    assert all(provided for name, _required, provided in dossier["documents"] if name != MARRIAGE_CERTIFICATE)
    receipt = client.get(f"/xa-a/dossiers/{code}/documents/receipt").get_data(as_text=True)
    assert papers[0] in receipt and "Giấy chứng nhận kết hôn của cha mẹ" not in receipt


def test_the_counter_form_marks_required_papers_and_ticks_nothing(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(COUNTER))
    assert "Giấy chứng sinh hoặc văn bản của người làm chứng/giấy cam đoan (bản chính, 1) *" in page
    assert "Giấy chứng nhận kết hôn của cha mẹ (nếu có) (bản sao, 1)</label>" in page
    assert not re.search(r'<input checked[^>]*name="counter-documents"', page)
    assert re.search(r'<input[^>]*autofocus[^>]*name="applicant-full_name"', page)


def test_a_missing_required_paper_is_reported_with_every_other_error_in_one_pass(app, desk, client):
    desk.factory.login(client, "a.tiepnhan")
    future = (date.today() + timedelta(days=30)).strftime("%d/%m/%Y")
    data = birth_data(mother_full_name="", child_birth_date=future)
    applicant = dict(APPLICANT, id_number="123")
    response = client.post(COUNTER, data=counter_form_data(applicant=applicant, data=data, documents=(2, 3)))
    assert response.status_code == 422
    page = assert_good_page(response)
    for field, text in (("counter-documents", "Hồ sơ còn thiếu"), ("applicant-id_number", "12 chữ số"),
                        ("mother_full_name", "bắt buộc"), ("child_birth_date", "không được sau ngày đăng ký")):
        assert f'id="{field}-error"' in page, field
        assert re.search(rf'<a href="#{field}">[^<]*{text}', page), field  # linked from the summary
    assert re.search(r"<title>Lỗi: ", page)
    assert page.index('id="error-summary"') < page.index('class="summary card"')  # the summary comes first
    assert f'value="{future}"' in page and 'value="123"' in page  # nothing typed is lost
    assert _dossier_count(app) == 0


# --- guidance and refusal at the desk are not receptions -------------------------------------------------------------


def test_guidance_at_the_desk_is_not_a_reception_until_the_dossier_is_complete(app, desk, client):
    papers = _papers(app)
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(COUNTER, data=counter_form_data(documents=(0, 2, 3), do="supplement",
                                                           reason="Thiếu giấy chứng sinh"))
    assert response.status_code == 302 and "print=supplement_request" in response.headers["Location"]
    code = _code(response)
    dossier = _dossier(app, code)
    assert dossier["status"] == "supplement_requested" and dossier["events"] == ["request_supplement"]
    assert dossier["received_at"] is None and dossier["due_at"] is None
    assert client.get(f"/xa-a/dossiers/{code}/documents/receipt").status_code == 404  # no Mẫu 01
    assert client.get(f"/xa-a/dossiers/{code}/documents/supplement_request").status_code == 200
    assert _counted(app) == {"counter": 0, "refused": 0}
    # The applicant comes back with the paper: the dossier waits for reception, then is received.
    assert act(app, code, "a.tiepnhan", "supplement_received") == "submitted"
    assert _dossier(app, code)["received_at"] is None
    assert act(app, code, "a.tiepnhan", "receive") == "received"
    dossier = _dossier(app, code)
    assert dossier["received_at"] is not None and dossier["due_at"] is not None
    assert (papers[1], True, True) in dossier["documents"]
    assert _counted(app) == {"counter": 1, "refused": 0}


def test_refusal_at_the_desk_is_one_change_and_not_counted_as_received(app, desk, client):
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(COUNTER, data=counter_form_data(do="refuse", reason="Không thuộc thẩm quyền."))
    assert response.status_code == 302 and "print=refusal" in response.headers["Location"]
    code = _code(response)
    dossier = _dossier(app, code)
    assert dossier["status"] == "refused" and dossier["events"] == ["refuse"]
    assert dossier["received_at"] is None and dossier["due_at"] is None
    assert client.get(f"/xa-a/dossiers/{code}/documents/refusal").status_code == 200
    assert client.get(f"/xa-a/dossiers/{code}/documents/receipt").status_code == 404
    assert _counted(app) == {"counter": 0, "refused": 0}
    book = client.get("/xa-a/tracking-book")
    assert book.status_code in (200, 404) and code not in book.get_data(as_text=True)


# --- the API's documents ---------------------------------------------------------------------------------------------


def _post(client, factory, body: dict, username: str = "a.tiepnhan"):
    return client.post("/api/v1/units/xa-a/dossiers", json=body, headers=factory.token(client, username))


def _body(**extra) -> dict:
    return {"procedure": BIRTH, "channel": "counter", "applicant": APPLICANT, "data": birth_data(), **extra}


def test_api_documents_default_to_every_required_paper(app, desk, client):
    papers = _papers(app)
    body = _post(client, desk.factory, _body()).get_json()
    checklist = [{k: d[k] for k in ("name", "required", "provided")} for d in body["documents"]]
    assert checklist[0] == {"name": papers[0], "required": True, "provided": True}
    assert {"name": MARRIAGE_CERTIFICATE, "required": False, "provided": False} in checklist
    assert not any(d["digitized"] or d["attachment_id"] for d in body["documents"])  # nothing scanned yet


def test_api_documents_given_by_name(app, desk, client):
    papers = _papers(app)
    handed = [papers[0], papers[1], MARRIAGE_CERTIFICATE, papers[3]]
    response = _post(client, desk.factory, _body(documents=handed))
    assert response.status_code == 201
    assert all(d["provided"] for d in response.get_json()["documents"])


def test_api_documents_unknown_or_missing_are_refused_and_change_nothing(app, desk, client):
    papers = _papers(app)
    unknown = _post(client, desk.factory, _body(documents=[*papers, "Sổ hộ khẩu"]))
    assert unknown.status_code == 422
    assert "“Sổ hộ khẩu”" in unknown.get_json()["error"]["fields"]["documents"]
    missing = _post(client, desk.factory, _body(documents=[papers[0]]))
    assert missing.status_code == 422
    error = missing.get_json()["error"]
    assert error["code"] == "missing_documents" and papers[1] in error["fields"]["documents"]
    wrong = _post(client, desk.factory, _body(documents="tất cả"))
    assert wrong.status_code == 422 and "documents" in wrong.get_json()["error"]["fields"]
    assert _dossier_count(app) == 0


# --- numbers and dates -----------------------------------------------------------------------------------------------


def _change(**overrides) -> dict:
    data = {"parcel_number": "125", "map_sheet": "14", "area": "152,5", "parcel_address": "Thôn Đông, xã An Bình",
            "land_use_purpose": "ONT", "certificate_number": "DA 123456", "owners": "Lê Văn Cường, 1990, 001090067890",
            "change_type": "transfer", "counterparties": "Nguyễn Văn An, 1985, 001085012345",
            "change_date": (date.today() - timedelta(days=3)).strftime("%d%m%Y")}
    data.update(overrides)
    return data


def test_a_decimal_comma_is_a_decimal_separator_on_the_counter_and_in_the_api(app, desk, client):
    from core.plugins.manager import get_procedure

    with app.app_context():
        papers = list(range(len(get_procedure(CHANGE).required_documents)))
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(f"/xa-a/tiep-nhan/{CHANGE}", data=counter_form_data(data=_change(), documents=papers))
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    code = _code(response)
    assert _dossier(app, code)["data"]["area"] == 152.5
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert "152,5" in page and "1.525" not in page  # read back as typed
    api = _post(client, desk.factory, {"procedure": CHANGE, "channel": "counter", "applicant": APPLICANT,
                                       "data": _change(area="152,5")})
    assert api.status_code == 201 and api.get_json()["data"]["area"] == 152.5
    number = _post(client, desk.factory, {"procedure": CHANGE, "channel": "counter", "applicant": APPLICANT,
                                          "data": _change(area=1.525)})
    assert number.status_code == 201 and number.get_json()["data"]["area"] == 1.525  # a JSON number is never ambiguous


def test_an_ambiguous_number_is_refused_with_a_clear_message(app, desk, client):
    desk.factory.login(client, "a.tiepnhan")
    response = client.post(f"/xa-a/tiep-nhan/{CHANGE}", data=counter_form_data(data=_change(area="1.525"),
                                                                               documents=range(4)))
    assert response.status_code == 422
    page = assert_good_page(response)
    assert "“1.525” có thể hiểu là hai số khác nhau" in page and 'value="1.525"' in page
    box = re.search(r'<input[^>]*id="area"[^>]*>', page).group(0)
    assert 'type="text"' in box and 'inputmode="decimal"' in box  # never the browser's locale-bound number box
    assert _dossier_count(app) == 0


def test_dates_are_typed_day_first_in_a_text_box(app, desk, client):
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(COUNTER))
    box = re.search(r'<input[^>]*id="child_birth_date"[^>]*>', page).group(0)
    assert 'type="text"' in box and 'placeholder="dd/mm/yyyy"' in box and 'inputmode="numeric"' in box
    assert 'type="date"' not in page
    born = date.today() - timedelta(days=3)
    response = client.post(COUNTER, data=counter_form_data(data=birth_data(child_birth_date=born.strftime("%d%m%Y"))))
    assert response.status_code == 302
    assert _dossier(app, _code(response))["data"]["child_birth_date"] == born.isoformat()
    bad = client.post(COUNTER, data=counter_form_data(data=birth_data(child_birth_date="31/02/2026")))
    assert bad.status_code == 422 and "Không có ngày 31/02/2026." in bad.get_data(as_text=True)


def test_a_required_select_starts_on_choose(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(f"/xa-a/tiep-nhan/{CHANGE}"))
    select_html = re.search(r'<select[^>]*id="land_use_purpose".*?</select>', page, re.S).group(0)
    assert re.search(r'<option selected value="">— Chọn —</option>', select_html)


# --- plausibility ----------------------------------------------------------------------------------------------------


def test_parents_dates_and_names_are_checked(app, desk, client):
    desk.factory.login(client, "a.tiepnhan")
    born = date.today() - timedelta(days=3)
    data = birth_data(child_birth_date=born.strftime("%d/%m/%Y"), mother_birth_date="01/01/2030",
                      father_birth_date="01/01/1890", child_full_name="<b>Hoa</b>", mother_full_name="Mai 😀",
                      father_full_name="Bình 2")
    response = client.post(COUNTER, data=counter_form_data(data=data))
    assert response.status_code == 422
    page = assert_good_page(response)
    assert f"Ngày sinh của người mẹ phải trước ngày sinh của con ({born:%d/%m/%Y})." in page
    assert re.search(r"người cha \d+ tuổi khi con ra đời", page)
    for field in ("child_full_name", "mother_full_name", "father_full_name"):
        assert f'id="{field}-error"' in page
    assert "Họ tên chỉ gồm chữ cái" in page
    good = birth_data(child_full_name="Nguyễn Thị Ánh-Dương", mother_full_name="H'Hen Niê")
    assert client.post(COUNTER, data=counter_form_data(data=good)).status_code == 302
