"""Attachments: scans uploaded to a dossier, checked by content, stored by hash outside the web root, served only to
those who may see the dossier."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, act, counts, create, events, get

from core.dossiers import attachments

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40) + b"\xff\xd9"


def _upload(world, code, username, content, filename="scan.pdf", mimetype="application/pdf", field="file"):
    headers = world.h(username) if username else {}
    return world.client.post(f"/api/v1/dossiers/{code}/attachments", headers=headers,
                             data={field: (io.BytesIO(content), filename, mimetype)},
                             content_type="multipart/form-data")


def _stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def code(world):
    return create(world).get_json()["code"]


def test_upload_stores_by_hash_outside_the_web_root_and_records_one_event(world, code):
    before = counts(world.app)
    response = _upload(world, code, "tn.a", PDF, filename="Giấy chứng nhận.pdf")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert body["filename"] == "Giấy chứng nhận.pdf" and body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF) and body["sha256"] == digest
    assert body["url"] == f"/api/v1/dossiers/{code}/attachments/{body['id']}"
    after = counts(world.app)
    assert after["attachments"] == before["attachments"] + 1
    assert after["dossier_events"] == before["dossier_events"] + 1
    assert after["outbox"] == before["outbox"]  # the citizen is not notified of scans
    stored = Path(world.app.config["UPLOAD_DIR"]) / digest[:2] / digest[2:4] / digest
    assert _stored_files(world.app) == [stored]
    assert stored.read_bytes() == PDF
    static = Path(world.app.static_folder).resolve()
    assert static not in stored.resolve().parents
    assert events(world, code)[-1] == ("attach", "received", "received")
    dossier = get(world, code, "tn.a").get_json()
    assert dossier["version"] == 1  # the dossier itself did not change
    assert dossier["attachments"] == [body]
    assert dossier["history"][-1]["payload"]["sha256"] == digest
    assert dossier["history"][-1]["note"] == "Giấy chứng nhận.pdf"


@pytest.mark.parametrize("content,filename,claimed,content_type,shown", [
    (PNG, "anh.png", "image/png", "image/png", "anh.png"),
    (JPEG, "anh.jpeg", "image/jpeg", "image/jpeg", "anh.jpeg"),
    (JPEG, "ANH.JPG", "application/octet-stream", "image/jpeg", "ANH.JPG"),
    (PNG, "scan.pdf", "application/pdf", "image/png", "scan.pdf.png"),  # the content decides, not the name
    (PDF, "../../etc/passwd", "text/plain", "application/pdf", "passwd.pdf"),
    (PDF, "C:/Users/cb/ho so.pdf", "application/pdf", "application/pdf", "ho so.pdf"),
    (PDF, "...", "application/pdf", "application/pdf", "tep-dinh-kem.pdf"),
])
def test_type_is_decided_by_content(world, code, content, filename, claimed, content_type, shown):
    response = _upload(world, code, "cv.a", content, filename=filename, mimetype=claimed)
    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["content_type"], response.get_json()["filename"]) == (content_type, shown)


@pytest.mark.parametrize("content,filename", [
    (b"<html><script>alert(1)</script></html>", "scan.pdf"),
    (b"MZ\x90\x00" + bytes(60), "scan.pdf"),
    (b"GIF89a" + bytes(20), "anh.png"),
    (b"PK\x03\x04" + bytes(30), "to-khai.docx"),
    (b" %PDF-1.4", "scan.pdf"),
])
def test_other_types_are_refused_and_nothing_is_written(world, code, content, filename):
    before = counts(world.app)
    response = _upload(world, code, "tn.a", content, filename=filename)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_file_type" and error["fields"]["file"] == "Chỉ nhận tệp PDF, JPEG hoặc PNG."
    assert counts(world.app) == before
    assert _stored_files(world.app) == []


@pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS, ATTACHMENT_MAX_BYTES=1024)
def test_size_limit(world, code):
    before = counts(world.app)
    response = _upload(world, code, "tn.a", PDF + bytes(1025 - len(PDF)))
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and "MB" in error["fields"]["file"]
    assert counts(world.app) == before
    assert _stored_files(world.app) == []
    assert _upload(world, code, "tn.a", PDF + bytes(1024 - len(PDF))).status_code == 201  # exactly the limit


@pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS, MAX_CONTENT_LENGTH=4096)
def test_a_request_beyond_the_servers_limit_is_a_json_413(world, code):
    response = _upload(world, code, "tn.a", PDF + bytes(8192))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert counts(world.app)["attachments"] == 0


def test_missing_or_empty_file_and_wrong_encoding(world, code):
    before = counts(world.app)
    response = _upload(world, code, "tn.a", PDF, field="tep")
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]
    response = _upload(world, code, "tn.a", b"")
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]
    response = world.client.post(f"/api/v1/dossiers/{code}/attachments", json={"file": "JVBERi0="},
                                 headers=world.h("tn.a"))
    assert response.status_code == 415
    assert counts(world.app) == before


def test_who_may_upload(world, code):
    before = counts(world.app)
    assert _upload(world, code, None, PDF).status_code == 401
    assert _upload(world, code, "tn.c", PDF).status_code == 404  # another commune does not learn it exists
    response = _upload(world, code, "kt.a", PDF)  # an auditor sees but does not act
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"
    assert _upload(world, "KHONG-CO", "tn.a", PDF).status_code == 404
    assert counts(world.app) == before
    for username in ("tn.a", "cv.a", "ld.a"):
        assert _upload(world, code, username, PDF).status_code == 201, username


def test_download_only_for_those_who_may_view(world, code):
    attachment = _upload(world, code, "tn.a", PDF, filename="Bản vẽ.pdf").get_json()
    url = attachment["url"]
    for username in ("tn.a", "cv.a", "kt.a"):
        response = world.client.get(url, headers=world.h(username))
        assert response.status_code == 200, username
        assert response.data == PDF and response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"]
        assert "filename*=UTF-8''B%E1%BA%A3n%20v%E1%BA%BD.pdf" in response.headers["Content-Disposition"]
    assert world.client.get(url).status_code == 401
    for username in ("tn.b", "tn.c", "cv.o"):
        response = world.client.get(url, headers=world.h(username))
        assert response.status_code == 404, username
        assert response.get_json()["error"]["code"] == "not_found"
    # The id of an attachment of another dossier does not open through this one.
    other = create(world).get_json()["code"]
    assert world.client.get(f"/api/v1/dossiers/{other}/attachments/{attachment['id']}",
                            headers=world.h("tn.a")).status_code == 404
    assert world.client.get(f"/api/v1/dossiers/{code}/attachments/999999", headers=world.h("tn.a")).status_code == 404
    listed = world.client.get(f"/api/v1/dossiers/{code}/attachments", headers=world.h("cv.a")).get_json()
    assert listed == {"attachments": [attachment]}
    assert world.client.get(f"/api/v1/dossiers/{code}/attachments", headers=world.h("tn.c")).status_code == 404


def test_after_a_transfer_the_competent_unit_reads_and_adds_scans(world, code):
    attachment = _upload(world, code, "tn.a", PDF).get_json()
    assert world.client.get(attachment["url"], headers=world.h("cv.o")).status_code == 404
    act(world, code, "tn.a", "transfer", to_unit="vp-dat")
    assert world.client.get(attachment["url"], headers=world.h("cv.o")).status_code == 200
    assert _upload(world, code, "cv.o", PNG, filename="do-dac.png").status_code == 201
    assert _upload(world, code, "tn.a", JPEG, filename="bien-nhan.jpg").status_code == 201  # the receiving desk too


def test_the_same_scan_twice_is_stored_once(world, code):
    first = _upload(world, code, "tn.a", PDF, filename="a.pdf").get_json()
    second = _upload(world, code, "tn.a", PDF, filename="b.pdf").get_json()
    assert first["id"] != second["id"] and first["sha256"] == second["sha256"]
    assert len(_stored_files(world.app)) == 1
    assert [a["filename"] for a in get(world, code, "tn.a").get_json()["attachments"]] == ["a.pdf", "b.pdf"]


def test_a_failed_transaction_leaves_no_row_and_no_new_file(world, code, monkeypatch):
    from core.dossiers import services

    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "record_event", boom)
    before = counts(world.app)
    response = _upload(world, code, "tn.a", PDF)
    assert response.status_code == 500
    assert counts(world.app) == before
    assert _stored_files(world.app) == []


def test_scans_are_not_shown_to_the_citizen(world, code):
    _upload(world, code, "tn.a", PDF)
    tracked = world.client.get(f"/api/v1/track/{code}", query_string={"phone": APPLICANT["phone"]}).get_json()
    assert [s["action"] for s in tracked["steps"]] == ["receive"]
    assert "scan.pdf" not in str(tracked)


def test_missing_file_on_disk_is_404_not_500(world, code):
    attachment = _upload(world, code, "tn.a", PDF).get_json()
    for path in _stored_files(world.app):
        os.unlink(path)
    assert world.client.get(attachment["url"], headers=world.h("tn.a")).status_code == 404


def test_service_functions_used_by_the_counter_pages(world, code):
    from werkzeug.datastructures import FileStorage

    from core.dossiers import services

    with world.app.test_request_context():
        upload = FileStorage(io.BytesIO(PNG), filename="anh.png")
        assert attachments.check_upload(upload) == "image/png"
        assert upload.stream.tell() == 0  # rewound for saving
        with pytest.raises(services.ServiceError) as caught:
            attachments.check_upload(FileStorage(io.BytesIO(b"hello"), filename="a.pdf"))
        assert caught.value.status == 422
        dossier = services.get_for_user(world.user("tn.a"), code)
        saved = attachments.save_attachment(world.user("tn.a"), dossier, upload)
        assert attachments.download_url(saved) == f"/api/v1/dossiers/{code}/attachments/{saved.id}"


@pytest.mark.parametrize("name,content_type,expected", [
    ("C:\\Users\\cb\\ho so.pdf", "application/pdf", "ho so.pdf"),
    ("a\x00b\x1f.png", "image/png", "ab.png"),
    ("x" * 300 + ".pdf", "application/pdf", "x" * 196 + ".pdf"),
    (None, "image/jpeg", "tep-dinh-kem.jpg"),
    ("Giấy tờ", "image/jpeg", "Giấy tờ.jpg"),
])
def test_clean_filename(app, name, content_type, expected):
    with app.test_request_context():
        assert attachments.clean_filename(name, content_type) == expected
