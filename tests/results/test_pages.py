"""The verification pages: /xac-thuc checks an uploaded PDF, /xac-thuc/<sha256> shows the record behind a QR code,
and the portal links to them."""

from __future__ import annotations

import io

from pypdf import PdfReader
from results_helpers import approved


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def _signed_file(desk) -> tuple[dict, bytes]:
    dossier = approved(desk)
    result = dossier["results"][0]
    return {**result, "code": dossier["code"]}, desk.client.get(result["url"], headers=desk.headers("reception")).data


def _upload(client, data: bytes, name: str = "ket-qua.pdf"):
    return client.post("/xac-thuc", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_portal_links_to_the_verification_page(client):
    page = client.get("/")
    assert page.status_code == 200 and 'href="/xac-thuc"' in page.get_data(as_text=True)
    form = client.get("/xac-thuc").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'name="file"' in form


def test_uploading_an_issued_result_says_it_is_valid(desk, client):
    result, data = _signed_file(desk)
    page = _upload(client, data)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hợp lệ" in text and result["code"] in text
    changed = bytearray(data)
    changed[len(data) // 3] ^= 0x01
    page = _upload(client, bytes(changed)).get_data(as_text=True)
    assert "Không hợp lệ" in page and "sửa đổi" in page and result["code"] not in page


def test_upload_mistakes_are_said_and_change_nothing(signed_app, client):
    assert "Chọn tệp PDF" in client.post("/xac-thuc", data={}).get_data(as_text=True)
    not_pdf = _upload(client, b"\x89PNG\r\n\x1a\n....", "anh.png")
    assert not_pdf.status_code == 422 and "không phải PDF" in not_pdf.get_data(as_text=True)
    empty = _upload(client, b"")
    assert empty.status_code == 422


def test_the_qr_code_leads_to_the_record(desk, client, signed_app):
    from sqlalchemy import select

    from core.dossiers.models import DossierResult
    from core.extensions import db

    result, data = _signed_file(desk)
    assert "Quét mã để xác thực" in pdf_text(data)
    with signed_app.app_context():
        row = db.session.scalar(select(DossierResult).where(DossierResult.sha256 == result["sha256"]))
        printed = row.document_sha256
    for sha in (printed, result["sha256"]):
        page = client.get(f"/xac-thuc/{sha}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200
        assert result["code"] in text and result["title"] in text and result["signer"] in text
        assert "0912345678" not in text and "Phan Thị Hạnh" not in text  # nothing personal beyond the receipt
    # The QR code in the corner is exactly the code of the record's address.
    with signed_app.test_request_context():
        from core.documents.render import qr_code
        from core.results.issue import verification_url

        url = verification_url(printed)
        expected = io.BytesIO()
        qr_code(url).save(expected, kind="png", scale=6, border=1)
    from PIL import Image

    printed_image = PdfReader(io.BytesIO(data)).pages[0].images[0].image.convert("1")
    assert printed_image.tobytes() == Image.open(io.BytesIO(expected.getvalue())).convert("1").tobytes()
    assert url.endswith(f"/xac-thuc/{printed}")
    assert client.get("/xac-thuc/" + "0" * 64).status_code == 404
    assert client.get("/xac-thuc/not-a-hash").status_code == 404


def test_the_officer_dossier_page_lists_the_signed_results(desk, client):
    result, _data = _signed_file(desk)
    desk.factory.login(client, "xa-ket-qua.tiepnhan")
    page = client.get(f"/xa-ket-qua/dossiers/{result['code']}").get_data(as_text=True)
    assert "Kết quả điện tử" in page and f'href="{result["url"]}"' in page
    assert client.get(result["url"]).data.startswith(b"%PDF")  # the officer's session downloads it too
