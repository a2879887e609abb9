"""Electronic results: signed on approval, listed in the dossier JSON, downloaded by officers with access only,
verified by anyone (issue 11, items 4 and 5)."""

from __future__ import annotations

import hashlib

from results_helpers import BIRTH, BIRTH_DATA, approved


def _download(desk, result, who="reception"):
    return desk.client.get(result["url"], headers=desk.headers(who))


def _verify(client, data: bytes, **headers):
    return client.post("/api/v1/verify", data=data, headers={"Content-Type": "application/pdf", **headers})


def test_approval_signs_every_output_document_and_lists_it(desk):
    dossier = approved(desk)
    assert dossier["status"] == "result_ready"
    results = dossier["results"]
    assert results and {r["key"] for r in results} >= {"civil_status.birth_extract"}
    for result in results:
        assert set(result) == {"key", "title", "url", "sha256", "signed_at", "signer"}
        assert "UBND xa-ket-qua" in result["signer"] and "DEMO" in result["signer"]
        response = _download(desk, result)
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert hashlib.sha256(response.data).hexdigest() == result["sha256"]
    # The JSON of GET shows the same results.
    again = desk.client.get(f"/api/v1/dossiers/{dossier['code']}", headers=desk.headers("leader")).get_json()
    assert again["results"] == results


def test_only_officers_with_access_download(desk):
    result = approved(desk)["results"][0]
    assert _download(desk.other, result, "reception").status_code == 404  # another commune: as if it did not exist
    anonymous = desk.client.get(result["url"])
    assert anonymous.status_code in (302, 303, 401)  # nobody signed in: sent to sign in, no PDF
    assert not anonymous.data.startswith(b"%PDF")


def test_an_issued_result_verifies_and_a_one_byte_change_does_not(desk, client):
    result = approved(desk)["results"][0]
    data = _download(desk, result).data
    answer = _verify(client, data)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["valid"] is True, body
    assert body["document"] == result["key"] and body["dossier"]
    assert body["signer"] == result["signer"] and body["signed_at"] == result["signed_at"]

    position = data.index(b"Hoa") if b"Hoa" in data else len(data) // 3
    changed = bytearray(data)
    changed[position] ^= 0x01
    body = _verify(client, bytes(changed)).get_json()
    assert body["valid"] is False and body["dossier"] is None and body["document"] is None
    assert body["reason"] and "sửa đổi" in body["reason"]
    english = _verify(client, bytes(changed), **{"Accept-Language": "en"}).get_json()
    assert english["valid"] is False and "modified" in english["reason"]


def test_a_validly_signed_file_not_on_record_is_not_valid(desk, client, signed_app):
    from core.documents.model import Document, Paragraph
    from core.documents.pdf import render_pdf
    from core.signing.sign import sign_pdf

    with signed_app.test_request_context():
        forged = sign_pdf(render_pdf(Document(key="x", title="GIẤY TỜ KHÔNG DO HỆ THỐNG CẤP",
                                              blocks=[Paragraph("Nội dung")])),
                          "xa-ket-qua", reason="test", location="test").data
    body = _verify(client, forged).get_json()
    assert body["valid"] is False and body["dossier"] is None
    assert "không do hệ thống cấp" in body["reason"]
    assert "UBND xa-ket-qua" in body["signer"]


def test_an_untrusted_signer_is_not_valid(desk, client, signed_app, tmp_path):
    from cryptography.hazmat.primitives import serialization

    from core.signing.demo import make_ca

    result = approved(desk)["results"][0]
    data = _download(desk, result).data
    stranger = tmp_path / "other-ca.pem"
    stranger.write_bytes(make_ca("Other").certificate.public_bytes(serialization.Encoding.PEM))
    signed_app.config["SIGNING_TRUST_ROOTS"] = str(stranger)
    body = _verify(client, data).get_json()
    assert body["valid"] is False and "tin cậy" in body["reason"]


def test_bad_verify_requests_get_a_clear_4xx(desk, client, signed_app):
    cases = [
        (client.post("/api/v1/verify", data=b"%PDF-1.7", headers={"Content-Type": "text/plain"}), 415),
        (client.post("/api/v1/verify", json={"pdf": "x"}), 415),
        (_verify(client, b""), 422),
        (_verify(client, b"GIF89a not a pdf"), 422),
    ]
    signed_app.config["VERIFY_MAX_BYTES"] = 1000
    cases.append((_verify(client, b"%PDF-" + b"0" * 2000), 413))
    for response, status in cases:
        assert response.status_code == status, response.data
        assert response.get_json()["error"]["message"]
    # A PDF header on garbage: a verdict, not an error.
    body = _verify(client, b"%PDF-1.7\n garbage").get_json()
    assert body["valid"] is False and body["reason"]


def test_signing_failure_leaves_the_dossier_unapproved(desk, signed_app, tmp_path):
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    desk.act(code, "reception", "assign", assignee=desk.officers["specialist"])
    desk.act(code, "specialist", "submit_for_approval")
    signed_app.config["SIGNING_PKCS12_DIR"] = str(tmp_path / "empty")  # the unit has no certificate now
    refused = desk.act(code, "leader", "approve", expect=503)
    assert refused["error"]["code"] == "signing_unavailable"
    dossier = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("leader")).get_json()
    assert dossier["status"] == "in_progress" and dossier["results"] == []
    assert [h["action"] for h in dossier["history"]][-1] == "submit_for_approval"


def test_return_result_sends_the_links(desk, signed_app):
    from sqlalchemy import select

    from core.extensions import db
    from core.notifications.models import Outbox

    dossier = approved(desk)
    desk.act(dossier["code"], "reception", "return_result", received_by="Nguyễn Văn Bình")
    with signed_app.app_context():
        rows = db.session.scalars(select(Outbox).where(Outbox.kind == "e_result")).all()
        assert rows and all(f"/ket-qua/{dossier['code']}/" in row.body for row in rows)


def test_signing_off_issues_no_results(app, factory):
    desk = factory.desk("xa-giay", plugins=("civil_status",))
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    assert desk.to_result(code)["results"] == []
