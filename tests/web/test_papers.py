"""Papers of the checklist (issue 11 items 2 and 3): digitised at the counter (page and API, several images combined
into one PDF), uploaded by the applicant with the tracking code and phone while a supplement is asked for, and the
catalogue's ``fully_online``."""

from __future__ import annotations

import hashlib
import io

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import text

from tests.web.helpers import APPLICANT, act, dossier_state, make_dossier
from tests.web.html_checks import assert_good_page

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# The birth registration's checklist: 0 declaration, 1 birth certificate, 2 parents' marriage certificate (if any),
# 3 identity paper (shown only).
DECLARATION, BIRTH_PAPER, MARRIAGE, IDENTITY = range(4)
TABLES = ("attachments", "dossier_events", "dossier_documents", "outbox")


def image(kind: str = "PNG", color=(200, 30, 30), size=(40, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, kind)
    return out.getvalue()


def files(*items):
    return [(io.BytesIO(content), name) for name, content in items]


def counts(app) -> dict:
    from core.extensions import db

    with app.app_context():
        found = {t: db.session.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in TABLES}
        found["linked"] = db.session.execute(text(
            "SELECT COUNT(*) FROM dossier_documents WHERE attachment_id IS NOT NULL")).scalar()
        db.session.remove()
    return found


def scan(client, code, index, headers, *items, **extra):
    return client.post(f"/api/v1/dossiers/{code}/documents/{index}/scan", headers=headers,
                       data={"file": files(*items), **extra}, content_type="multipart/form-data")


def dossier(client, code, headers) -> dict:
    response = client.get(f"/api/v1/dossiers/{code}", headers=headers)
    assert response.status_code == 200
    return response.get_json()


@pytest.fixture
def officer(desk, client):
    return desk.factory.token(client, "a.tiepnhan")


def test_counter_digitisation_over_the_api_combines_images_into_one_pdf(desk, client, officer):
    code = make_dossier(desk.app)
    body = dossier(client, code, officer)
    assert body["documents"][BIRTH_PAPER] == {"name": body["documents"][BIRTH_PAPER]["name"], "required": True,
                                              "provided": True, "digitized": False, "attachment_id": None}
    assert body["digitized"] is False
    pages = [image("PNG"), image("JPEG", (10, 120, 10)), image("PNG", (0, 0, 200), (80, 50))]
    response = scan(client, code, BIRTH_PAPER, officer, ("trang-1.png", pages[0]), ("trang-2.jpg", pages[1]),
                    ("trang-3.png", pages[2]))
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    attachment = answer["attachment"]
    assert attachment["content_type"] == "application/pdf" and attachment["filename"] == "trang-1.pdf"
    assert answer["document"]["digitized"] is True and answer["document"]["attachment_id"] == attachment["id"]
    assert answer["digitized"] is False  # the declaration is not scanned yet
    stored = client.get(attachment["url"], headers=officer)
    assert stored.status_code == 200 and stored.data.startswith(b"%PDF-")
    assert hashlib.sha256(stored.data).hexdigest() == attachment["sha256"]
    with pikepdf.open(io.BytesIO(stored.data)) as pdf:
        assert len(pdf.pages) == 3
    body = dossier(client, code, officer)
    assert body["documents"][BIRTH_PAPER]["digitized"] is True
    assert body["documents"][BIRTH_PAPER]["attachment_id"] == attachment["id"]
    event = body["history"][-1]
    assert event["action"] == "digitize" and event["actor"] == "Lê Thị Tiếp"
    assert event["payload"]["document"] == BIRTH_PAPER and event["payload"]["pages"] == 3
    assert body["version"] == 1  # the dossier's state did not change

    response = scan(client, code, DECLARATION, officer, ("to-khai.pdf", PDF))
    assert response.status_code == 201 and response.get_json()["digitized"] is True
    body = dossier(client, code, officer)
    # Every paper handed in is digitised: the marriage certificate was not handed in, the identity paper only shown.
    assert body["digitized"] is True
    assert [d["digitized"] for d in body["documents"]] == [True, True, False, False]


def test_scanning_a_paper_not_ticked_records_it_as_handed_in(desk, client, officer):
    code = make_dossier(desk.app)
    assert dossier(client, code, officer)["documents"][MARRIAGE]["provided"] is False
    response = scan(client, code, MARRIAGE, officer, ("giay-ket-hon.jpg", image("JPEG")))
    assert response.status_code == 201
    assert response.get_json()["attachment"]["content_type"] == "image/jpeg"  # one image stays as it is
    body = dossier(client, code, officer)
    assert body["documents"][MARRIAGE]["provided"] is True
    assert body["history"][-1]["payload"]["provided_before"] is False


@pytest.mark.parametrize("index,items,status,code_", [
    (9, [("a.pdf", PDF)], 404, "document_not_found"),
    (BIRTH_PAPER, [], 422, "invalid"),
    (BIRTH_PAPER, [("ghi-chu.txt", b"not a scan")], 422, "unsupported_file_type"),
    (BIRTH_PAPER, [("a.pdf", PDF), ("b.png", None)], 422, "invalid"),
    (BIRTH_PAPER, [("a.png", b"\x89PNG\r\n\x1a\n" + bytes(40)), ("b.png", None)], 422, "unreadable_image"),
    (BIRTH_PAPER, [("empty.pdf", b"")], 422, "invalid"),
])
def test_bad_scans_are_refused_in_vietnamese_and_change_nothing(desk, client, officer, index, items, status, code_):
    code = make_dossier(desk.app)
    items = [(name, content if content is not None else image()) for name, content in items]
    before = counts(desk.app)
    response = scan(client, code, index, officer, *items)
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == code_ and error["message"]
    assert counts(desk.app) == before


def test_a_scan_too_large_is_refused(desk, client, officer):
    desk.app.config["ATTACHMENT_MAX_BYTES"] = 2000
    code = make_dossier(desk.app)
    before = counts(desk.app)
    response = scan(client, code, BIRTH_PAPER, officer, ("big.pdf", PDF + b"0" * 3000))
    assert response.status_code == 413 and "MB" in response.get_json()["error"]["fields"]["file"]
    # Two images each under the limit, combined over it.
    big = image("PNG", size=(300, 300))
    response = scan(client, code, BIRTH_PAPER, officer, ("a.png", big), ("b.png", big))
    assert response.status_code == 413
    assert counts(desk.app) == before


def test_who_may_scan_and_when(desk, client, officer):
    code = make_dossier(desk.app)
    before = counts(desk.app)
    other_unit = desk.factory.token(client, "b.tiepnhan")
    assert scan(client, code, BIRTH_PAPER, other_unit, ("a.pdf", PDF)).status_code == 404
    assert client.post(f"/api/v1/dossiers/{code}/documents/1/scan", data={"file": files(("a.pdf", PDF))},
                       content_type="multipart/form-data").status_code == 401
    assert client.post(f"/api/v1/dossiers/{code}/documents/1/scan", headers=officer,
                       json={"file": "x"}).status_code == 415
    assert counts(desk.app) == before
    act(desk.app, code, "a.tiepnhan", "assign", assignee="a.chuyenvien")
    act(desk.app, code, "a.chuyenvien", "submit_for_approval")
    act(desk.app, code, "a.lanhdao", "approve")
    act(desk.app, code, "a.tiepnhan", "return_result", received_by="Nguyễn Văn Bình")
    before = counts(desk.app)
    response = scan(client, code, BIRTH_PAPER, officer, ("a.pdf", PDF))
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "papers_closed"
    assert "không nhận thêm giấy tờ" in response.get_json()["error"]["message"]
    assert counts(desk.app) == before


def test_digitisation_on_the_dossier_page(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.tiepnhan")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert "Thành phần hồ sơ" in page and "Chưa số hóa đủ giấy tờ đã nộp." in page
    action = f"/xa-a/dossiers/{code}/papers/{BIRTH_PAPER}/scan"
    assert f'action="{action}"' in page
    before = counts(desk.app)
    response = client.post(action, data={"file": files(("x.txt", b"text"))}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Chỉ nhận tệp PDF, JPEG hoặc PNG." in response.get_data(as_text=True)
    response = client.post(f"/xa-a/dossiers/{code}/papers/7/scan", data={"file": files(("a.pdf", PDF))},
                           content_type="multipart/form-data")
    assert response.status_code == 404 and "Hồ sơ không có giấy tờ số 7" in response.get_data(as_text=True)
    assert counts(desk.app) == before
    response = client.post(action, data={"file": files(("p1.png", image()), ("p2.png", image("PNG", (1, 2, 3))))},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = assert_good_page(client.get(response.headers["Location"]))
    assert "Đã số hóa giấy tờ" in page and "p1.pdf" in page
    client.post(f"/xa-a/dossiers/{code}/papers/{DECLARATION}/scan", data={"file": files(("to-khai.pdf", PDF))},
                content_type="multipart/form-data")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert "Đã số hóa đủ giấy tờ đã nộp." in page
    assert dossier_state(desk.app, code).events == ["receive", "digitize", "digitize"]
    # Another commune's officer cannot reach it.
    client.post("/logout")
    desk.factory.login(client, "b.tiepnhan")
    response = client.post(action, data={"file": files(("a.pdf", PDF))}, content_type="multipart/form-data")
    assert response.status_code in (403, 404)
    assert dossier_state(desk.app, code).events == ["receive", "digitize", "digitize"]


def test_fully_online_in_the_catalogue(desk, client):
    procedures = {p["key"]: p for p in client.get("/api/v1/units/xa-a/procedures").get_json()["procedures"]}
    assert procedures["civil_status.birth_registration"]["fully_online"] is True
    assert procedures["civil_status.marriage_registration"]["fully_online"] is False
    assert all(isinstance(p["fully_online"], bool) for p in procedures.values())


def test_the_applicant_uploads_a_paper_asked_for_with_the_tracking_code_and_phone(desk, client):
    code = make_dossier(desk.app)
    url = f"/api/v1/track/{code}/documents/{MARRIAGE}"
    response = client.post(url, data={"phone": APPLICANT["phone"], "file": files(("a.pdf", PDF))},
                           content_type="multipart/form-data")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "papers_closed"
    act(desk.app, code, "a.tiepnhan", "request_supplement", reason="Thiếu giấy chứng nhận kết hôn",
        missing_documents=["Giấy chứng nhận kết hôn của cha mẹ (nếu có)"])
    before = counts(desk.app)
    response = client.post(url, data={"phone": "0987654321", "file": files(("a.pdf", PDF))},
                           content_type="multipart/form-data")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "Không tìm thấy hồ sơ với mã và số điện thoại này."
    response = client.post(url, data={"file": files(("a.pdf", PDF))}, content_type="multipart/form-data")
    assert response.status_code == 404
    response = client.post(f"/api/v1/track/{code}/documents/12", data={"phone": APPLICANT["phone"],
                                                                        "file": files(("a.pdf", PDF))},
                           content_type="multipart/form-data")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "document_not_found"
    assert counts(desk.app) == before
    response = client.post(url, data={"phone": APPLICANT["phone"],
                                      "file": files(("trang-1.jpg", image("JPEG")), ("trang-2.jpg", image("JPEG")))},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["code"] == code and answer["document"]["digitized"] is True
    assert answer["attachment"]["content_type"] == "application/pdf" and "url" not in answer["attachment"]
    officer = desk.factory.token(client, "a.tiepnhan")
    body = dossier(client, code, officer)
    assert body["documents"][MARRIAGE]["provided"] is True and body["documents"][MARRIAGE]["digitized"] is True
    event = body["history"][-1]
    assert event["action"] == "upload_document" and event["actor"] == "Công dân"
    assert event["payload"]["proof"] == "tracking" and event["payload"]["pages"] == 2
    assert body["status"] == "supplement_requested"  # the desk still checks the supplement and resumes it
    tracking = client.get(f"/api/v1/track/{code}?phone={APPLICANT['phone']}").get_json()
    assert tracking["steps"][-1]["action"] == "upload_document"
    assert tracking["steps"][-1]["label"] == "Nộp bổ sung giấy tờ trực tuyến"


def test_the_service_takes_a_signed_in_applicant(desk, client):
    """The uploader a citizen sign-in passes: their personal ID number must be the dossier's applicant's."""
    from werkzeug.datastructures import FileStorage

    from core.dossiers import papers, services
    from core.dossiers.models import Dossier
    from core.extensions import db

    code = make_dossier(desk.app)
    act(desk.app, code, "a.tiepnhan", "request_supplement", reason="Bổ sung", missing_documents=["Tờ khai"])
    with desk.app.test_request_context():
        found = db.session.scalar(db.select(Dossier).where(Dossier.code == code))
        stranger = papers.Applicant(proof="vneid", id_number="001099000001", name="Người Khác")
        with pytest.raises(services.ServiceError) as refused:
            papers.attach_paper(stranger, found, DECLARATION, [FileStorage(io.BytesIO(PDF), "a.pdf")])
        assert refused.value.status == 404
        me = papers.Applicant(proof="vneid", id_number=APPLICANT["id_number"], name=APPLICANT["full_name"])
        outcome = papers.attach_paper(me, found, DECLARATION, [FileStorage(io.BytesIO(PDF), "to-khai.pdf")])
        assert outcome.document.digitized and outcome.attachment.uploaded_by_id is None
        found = db.session.scalar(db.select(Dossier).where(Dossier.code == code))
        assert found.events[-1].payload["proof"] == "vneid"
        db.session.remove()


def submission(**files_by_field) -> dict:
    from tests.web.helpers import birth_data

    posted = {f"applicant-{k}": v for k, v in APPLICANT.items()}
    posted.update(birth_data())
    posted.update(files_by_field)
    return posted


def submitted_code(app) -> str:
    from core.dossiers.models import Dossier
    from core.extensions import db

    with app.app_context():
        code = db.session.scalar(db.select(Dossier.code).order_by(Dossier.id.desc()))
        db.session.remove()
    return code


def test_online_submission_with_its_papers(desk, client):
    page = assert_good_page(client.get("/nop-ho-so/xa-a/civil_status.birth_registration"))
    assert 'enctype="multipart/form-data"' in page and "trực tuyến toàn trình" in page
    assert 'name="paper-0"' in page and 'name="paper-1"' in page and 'name="paper-3"' not in page  # identity: shown
    data = submission(**{"paper-0": files(("to-khai.pdf", PDF)),
                         "paper-1": files(("chung-sinh-1.jpg", image("JPEG")), ("chung-sinh-2.jpg", image("JPEG")))})
    response = client.post("/nop-ho-so/xa-a/civil_status.birth_registration", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    code = submitted_code(desk.app)
    officer = desk.factory.token(client, "a.tiepnhan")
    body = dossier(client, code, officer)
    assert body["channel"] == "online" and body["status"] == "submitted"
    assert [d["digitized"] for d in body["documents"]] == [True, True, False, False]
    assert body["digitized"] is True
    assert [e["action"] for e in body["history"]] == ["submit", "upload_document", "upload_document"]
    assert body["history"][1]["payload"]["with_submission"] is True
    assert [a["content_type"] for a in body["attachments"]] == ["application/pdf", "application/pdf"]
    tracking = client.get(f"/api/v1/track/{code}?phone={APPLICANT['phone']}").get_json()
    assert [s["action"] for s in tracking["steps"]] == ["submit"]


def test_online_submission_with_a_bad_paper_changes_nothing(desk, client):
    before = counts(desk.app)
    data = submission(**{"paper-0": files(("to-khai.pdf", PDF)), "paper-1": files(("virus.exe", b"MZ\x90\x00"))})
    response = client.post("/nop-ho-so/xa-a/civil_status.birth_registration", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = assert_good_page(response)
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG." in page and 'id="paper-1-error"' in page
    assert "vui lòng chọn lại tệp" in page and 'value="Nguyễn Thị Hoa"' in page
    # A form error elsewhere: the papers are not stored either.
    data = submission(**{"paper-0": files(("to-khai.pdf", PDF))})
    data["applicant-phone"] = "12"
    response = client.post("/nop-ho-so/xa-a/civil_status.birth_registration", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "vui lòng chọn lại tệp" in response.get_data(as_text=True)
    assert counts(desk.app) == before


def test_a_submission_without_papers_still_works(desk, client):
    response = client.post("/nop-ho-so/xa-a/civil_status.birth_registration", data=submission(),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    body = dossier(client, submitted_code(desk.app), desk.factory.token(client, "a.tiepnhan"))
    assert body["digitized"] is False and not body["attachments"]


def test_supplement_upload_on_the_tracking_page(desk, client):
    code = make_dossier(desk.app)
    lookup = {"code": code, "phone": APPLICANT["phone"]}
    page = assert_good_page(client.post("/tra-cuu", data=lookup))
    assert "/tra-cuu/bo-sung" not in page  # nothing asked for yet
    act(desk.app, code, "a.tiepnhan", "request_supplement", reason="Thiếu giấy chứng sinh",
        missing_documents=["Giấy chứng sinh hoặc văn bản của người làm chứng/giấy cam đoan"])
    page = assert_good_page(client.post("/tra-cuu", data=lookup))
    assert 'action="/tra-cuu/bo-sung"' in page and "cần bổ sung" in page
    before = counts(desk.app)
    wrong = client.post("/tra-cuu/bo-sung", data={"code": code, "phone": "0900000000", "document": "1",
                                                   "file": files(("a.pdf", PDF))}, content_type="multipart/form-data")
    assert wrong.status_code == 404 and "Không tìm thấy hồ sơ với mã và số điện thoại này." in wrong.get_data(
        as_text=True)
    bad = client.post("/tra-cuu/bo-sung", data={**lookup, "document": "1", "file": files(("a.txt", b"hello"))},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "Chỉ nhận tệp PDF, JPEG hoặc PNG." in assert_good_page(bad)
    for document in ("", "x", "99", "٣"):
        bad = client.post("/tra-cuu/bo-sung", data={**lookup, "document": document, "file": files(("a.pdf", PDF))},
                          content_type="multipart/form-data")
        assert bad.status_code in (404, 422), document
        assert_good_page(bad)
    assert counts(desk.app) == before
    done = client.post("/tra-cuu/bo-sung", data={**lookup, "document": "1", "file": files(("chung-sinh.pdf", PDF))},
                       content_type="multipart/form-data")
    assert done.status_code == 200
    page = assert_good_page(done)
    assert "Đã nộp bổ sung" in page and "Nộp bổ sung giấy tờ trực tuyến" in page and "đã có bản điện tử" in page
    assert dossier_state(desk.app, code).events == ["receive", "request_supplement", "upload_document"]


def sign_in_citizen(app, client, id_number: str = APPLICANT["id_number"]) -> None:
    """A citizen signed in with VNeID, as the sign-in leaves the session (tests/web/test_citizen_signin.py)."""
    from core.citizens.models import Citizen
    from core.extensions import db

    with app.app_context():
        citizen = Citizen(issuer="http://127.0.0.1:9", subject=f"s-{id_number}", id_number=id_number,
                          full_name=APPLICANT["full_name"], phone=APPLICANT["phone"], address=APPLICANT["address"])
        db.session.add(citizen)
        db.session.commit()
        value = citizen.session_id()
        db.session.remove()
    with client.session_transaction() as session:
        session["citizen"] = value


def test_the_signed_in_applicant_uploads_a_paper_asked_for_from_their_area(desk, client):
    code = make_dossier(desk.app)
    act(desk.app, code, "a.tiepnhan", "request_supplement", reason="Thiếu tờ khai", missing_documents=["Tờ khai"])
    sign_in_citizen(desk.app, client)
    page = assert_good_page(client.get(f"/ho-so-cua-toi/{code}"))
    action = f"/ho-so-cua-toi/{code}/bo-sung"
    assert f'action="{action}"' in page
    before = counts(desk.app)
    bad = client.post(action, data={"document": "0", "file": files(("a.txt", b"text"))},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "Chỉ nhận tệp PDF, JPEG hoặc PNG." in assert_good_page(bad)
    bad = client.post(action, data={"document": "", "file": files(("a.pdf", PDF))}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "Chọn giấy tờ cần nộp bổ sung." in assert_good_page(bad)
    assert counts(desk.app) == before
    done = client.post(action, data={"document": "0", "file": files(("to-khai.pdf", PDF))},
                       content_type="multipart/form-data")
    assert done.status_code == 302
    assert "Đã nộp bổ sung" in assert_good_page(client.get(done.headers["Location"]))
    officer = desk.factory.token(client, "a.tiepnhan")
    event = dossier(client, code, officer)["history"][-1]
    assert event["action"] == "upload_document" and event["payload"]["proof"] == "vneid"
    # Another citizen's dossier is not theirs: 404, nothing written.
    other = make_dossier(desk.app, applicant={**APPLICANT, "id_number": "001099000002"})
    act(desk.app, other, "a.tiepnhan", "request_supplement", reason="Thiếu", missing_documents=["Tờ khai"])
    before = counts(desk.app)
    response = client.post(f"/ho-so-cua-toi/{other}/bo-sung", data={"document": "0", "file": files(("a.pdf", PDF))},
                           content_type="multipart/form-data")
    assert response.status_code == 404 and counts(desk.app) == before
