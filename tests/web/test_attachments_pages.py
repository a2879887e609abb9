"""Scans attached at the counter and on the dossier page, through core.dossiers.attachments."""

from __future__ import annotations

import io

from tests.web.helpers import BIRTH, counter_form_data, dossier_state, make_dossier
from tests.web.html_checks import assert_good_page
from tests.web.test_officer_pages import code_from, dossier_count

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% scan\n"


def files(*items):
    return [(io.BytesIO(content), name) for name, content in items]


def test_counter_attaches_scans_on_reception(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    assert 'name="attachments"' in client.get(f"/xa-a/tiep-nhan/{BIRTH}").get_data(as_text=True)
    data = dict(counter_form_data(), attachments=files(("giay-chung-sinh.png", PNG), ("to-khai.pdf", PDF)))
    response = client.post(f"/xa-a/tiep-nhan/{BIRTH}", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    code = code_from(response.headers["Location"])
    assert dossier_state(desk.app, code).events == ["receive", "attach", "attach"]
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert "giay-chung-sinh.png" in page and "to-khai.pdf" in page and "Đính kèm tệp" in page
    link = page.split('href="/api/v1/dossiers/')[1].split('"')[0]
    download = client.get(f"/api/v1/dossiers/{link}")
    assert download.status_code == 200 and download.data in (PNG, PDF)


def test_a_refused_file_asks_for_the_files_again_and_keeps_the_typing(desk, client):
    desk.factory.login(client, "a.tiepnhan")
    data = dict(counter_form_data(), attachments=files(("ghi-chu.txt", b"not a scan")))
    response = client.post(f"/xa-a/tiep-nhan/{BIRTH}", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = assert_good_page(response)
    assert "ghi-chu.txt" in page and "PDF, JPEG hoặc PNG" in page
    assert "vui lòng chọn lại tệp" in page and 'value="Nguyễn Thị Hoa"' in page
    assert dossier_count(desk.app) == 0


def test_more_scans_from_the_dossier_page(desk, client):
    code = make_dossier(desk.app)
    desk.factory.login(client, "a.chuyenvien")
    page = assert_good_page(client.get(f"/xa-a/dossiers/{code}"))
    assert 'id="more-attachments"' in page
    response = client.post(f"/xa-a/dossiers/{code}/tep-dinh-kem", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Chưa chọn tệp" in response.get_data(as_text=True)
    response = client.post(f"/xa-a/dossiers/{code}/tep-dinh-kem", data={"attachments": files(("x.exe", b"MZ"))},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    response = client.post(f"/xa-a/dossiers/{code}/tep-dinh-kem", data={"attachments": files(("scan.pdf", PDF))},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert dossier_state(desk.app, code).events == ["receive", "attach"]
    client.post("/logout")
    desk.factory.login(client, "b.tiepnhan")
    response = client.post(f"/xa-b/dossiers/{code}/tep-dinh-kem", data={"attachments": files(("s.pdf", PDF))},
                           content_type="multipart/form-data")
    assert response.status_code == 404
