"""Issue 11, "Done when", in a real browser: a citizen signs in at the demo identity provider (the real OpenID Connect
authorization-code flow), files a birth registration fully online with its papers uploaded in the form, the officers
receive, process, approve (the result is signed with the unit's PKCS#12 certificate) and return it, and the citizen
downloads the signed PDF from "Hồ sơ của tôi"; that file verifies (valid, this dossier). Another demo citizen sees
neither the dossier nor its result."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image

from core.testing import TEST_PASSWORD
from tests.web.vneid import DEMO_AN, DEMO_BINH, idp, use_provider  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

BIRTH = "civil_status.birth_registration"
UNIT = "xa-a"  # the commune of tests/web/helpers.build_desk, which the ``live`` fixture builds
PASSWORD = "unit-secret"
# A one-page PDF as small as a valid file can be; the content check reads the magic bytes and the structure.
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
       b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


def _png(color) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def signing_folder(tmp_path_factory):
    """A test CA (the trust root) and the PKCS#12 certificate of the commune that decides."""
    from cryptography.hazmat.primitives import serialization

    from core.signing.demo import issue, make_ca, pkcs12_bytes

    authority = make_ca("Một Cửa TEST CA")
    folder = tmp_path_factory.mktemp("signing")
    (folder / "ca.pem").write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    key, certificate = issue(authority, f"UBND {UNIT}")
    (folder / f"{UNIT}.p12").write_bytes(pkcs12_bytes(key, certificate, authority, PASSWORD))
    return folder


@pytest.fixture
def papers(tmp_path):
    """The files a citizen picks on their computer: a PDF declaration, a birth certificate photographed in two pages."""
    declaration = tmp_path / "to-khai.pdf"
    declaration.write_bytes(PDF)
    pages = [tmp_path / "giay-chung-sinh-1.png", tmp_path / "giay-chung-sinh-2.png"]
    pages[0].write_bytes(_png((200, 30, 30)))
    pages[1].write_bytes(_png((30, 30, 200)))
    return {"declaration": declaration, "birth_certificate": pages}


def _sign_in(page, base: str, who: dict) -> None:
    """From "Hồ sơ của tôi", through the sign-in page and the provider's page, back to "Hồ sơ của tôi"."""
    page.goto(f"{base}/ho-so-cua-toi")
    assert "/dang-nhap-vneid" in page.url
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.wait_for_load_state()
    assert "DEMO" in page.content()  # the provider's page says plainly it is a demo
    page.get_by_role("button", name=re.compile(who["name"])).click()
    page.wait_for_url(f"{base}/ho-so-cua-toi")
    assert who["id_number"] in page.content()


def _file_online(page, base: str, papers) -> str:
    """The commune's procedure page → the online form, prefilled from the identity; returns the dossier's code."""
    page.goto(f"{base}/thu-tuc/{UNIT}/{BIRTH}")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.wait_for_load_state()
    assert page.locator("#vneid-prefilled").is_visible()
    assert page.locator("#applicant-id_number").input_value() == DEMO_AN["id_number"]
    assert page.locator("#applicant-full_name").input_value() == DEMO_AN["name"]
    page.locator("#child_full_name").fill("Nguyễn Thị Hoa")
    page.locator("#child_sex-1").check()  # Nữ
    page.locator("#child_birth_date").fill((date.today() - timedelta(days=3)).isoformat())
    page.locator("#birth_place").fill("Trạm y tế xã An Bình")
    page.locator("#mother_full_name").fill("Trần Thị Mai")
    page.locator("#father_full_name").fill(DEMO_AN["name"])
    page.locator("#paper-0").set_input_files(papers["declaration"])
    page.locator("#paper-1").set_input_files(papers["birth_certificate"])
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url(f"{base}/nop-ho-so/da-nop")
    return page.locator("strong.code").inner_text().strip()


def _api(base: str):
    """The JSON API over HTTP, as an officer's software calls it. Not the in-process test client: Playwright's sync
    API keeps an event loop running in this thread, and pyHanko's synchronous signing refuses to run inside one."""
    session = requests.Session()

    def call(method: str, path: str, who: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if who:
            token = session.post(f"{base}/api/v1/auth/token", json={"username": who, "password": TEST_PASSWORD},
                                 timeout=30)
            headers["Authorization"] = f"Bearer {token.json()['token']}"
        return session.request(method, base + path, headers=headers, timeout=60, **kwargs)

    return call


def _officers_decide(api, code: str) -> dict:
    """The commune's officers: receive, assign, submit for approval, approve, return the result; the approved JSON."""
    def act(who: str, action: str, **arguments) -> dict:
        response = api("POST", f"/api/v1/dossiers/{code}/actions", who, json={"action": action, **arguments})
        assert response.status_code == 200, (action, response.text[:500])
        return response.json()

    act("a.tiepnhan", "receive")
    act("a.tiepnhan", "assign", assignee="a.chuyenvien")
    act("a.chuyenvien", "submit_for_approval")
    approved = act("a.lanhdao", "approve")
    assert act("a.tiepnhan", "return_result", received_by=DEMO_AN["name"])["status"] == "returned"
    return approved


def test_a_citizen_files_fully_online_and_downloads_the_signed_result(live, browser, app, idp, signing_folder,  # noqa: F811
                                                                        papers):
    from core.testing import dossier_by_code

    use_provider(app, idp)
    app.config.update(SIGNING_BACKEND="pkcs12", SIGNING_PKCS12_DIR=str(signing_folder),
                      SIGNING_PKCS12_PASSWORD=PASSWORD, SIGNING_TRUST_ROOTS=str(signing_folder / "ca.pem"))
    api = _api(live)
    catalogue = api("GET", f"/api/v1/units/{UNIT}/procedures").json()["procedures"]
    assert next(p for p in catalogue if p["key"] == BIRTH)["fully_online"] is True

    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    try:
        page = context.new_page()
        _sign_in(page, live, DEMO_AN)
        code = _file_online(page, live, papers)
        assert re.fullmatch(r"[A-Z0-9.\-]+", code), code

        # The papers came with the submission: every uploaded paper is on record and digitised.
        with app.app_context():
            dossier = dossier_by_code(code)
            assert dossier.channel == "online" and dossier.applicant_id_number == DEMO_AN["id_number"]
        body = api("GET", f"/api/v1/dossiers/{code}", "a.tiepnhan").json()
        assert [d["provided"] and d["digitized"] for d in body["documents"][:2]] == [True, True], body["documents"]

        approved = _officers_decide(api, code)
        result = approved["results"][0]
        assert result["sha256"] and result["signer"]

        page.goto(f"{live}/ho-so-cua-toi")
        row = page.locator("tr", has=page.locator(f"a.code:text-is('{code}')"))
        link = row.get_by_role("link", name=result["title"])
        assert link.get_attribute("href") == result["url"]
        with page.expect_download() as caught:
            # A plain click opens Chromium's PDF viewer; Alt+click saves the link's file, as a citizen keeping it does.
            link.click(modifiers=["Alt"])
        pdf = Path(caught.value.path()).read_bytes()
        assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == result["sha256"]

        verdict = api("POST", "/api/v1/verify", data=pdf, headers={"Content-Type": "application/pdf"})
        assert verdict.status_code == 200
        answer = verdict.json()
        assert answer["valid"] is True and answer["dossier"] == code, answer
        assert answer["document"] == result["key"]

        # Bad path: another demo citizen, in their own browser, sees neither the dossier nor its result.
        other = browser.new_context(locale="vi-VN")
        try:
            stranger = other.new_page()
            _sign_in(stranger, live, DEMO_BINH)
            assert code not in stranger.content()
            assert other.request.get(f"{live}{result['url']}").status == 404
            assert stranger.goto(f"{live}/ho-so-cua-toi/{code}").status == 404
        finally:
            other.close()
        # Whoever is not signed in is sent to sign in, not given the file.
        anonymous = browser.new_context()
        try:
            response = anonymous.request.get(f"{live}{result['url']}", max_redirects=0)
            assert response.status == 302 and "/dang-nhap-vneid" in response.headers["location"]
        finally:
            anonymous.close()
    finally:
        context.close()
