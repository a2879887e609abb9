"""The applicant downloads the signed result from "Hồ sơ của tôi" after signing in with VNeID (the demo provider on
a local port, the real authorization-code flow); another citizen cannot, and nobody signed in is sent to sign in."""

from __future__ import annotations

import hashlib

import pytest
from results_helpers import BIRTH, BIRTH_DATA

from tests.web.vneid import DEMO_AN, DEMO_BINH, idp, sign_in, use_provider  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": DEMO_AN["id_number"], "phone": "0900000001",
             "address": "Thôn Đông, xã Kết Quả"}


def test_the_applicant_downloads_the_signed_result_and_nobody_else_does(desk, signed_app, idp):  # noqa: F811
    use_provider(signed_app, idp)
    code = desk.receive(BIRTH, BIRTH_DATA, applicant=APPLICANT)["code"]
    result = desk.to_result(code)["results"][0]

    anonymous = signed_app.test_client().get(result["url"])
    assert anonymous.status_code == 302 and "/dang-nhap-vneid" in anonymous.location

    citizen = signed_app.test_client()
    sign_in(citizen, DEMO_AN)
    page = citizen.get(f"/ho-so-cua-toi/{code}").get_data(as_text=True)
    assert "Kết quả điện tử" in page and f'href="{result["url"]}"' in page
    download = citizen.get(result["url"])
    assert download.status_code == 200 and hashlib.sha256(download.data).hexdigest() == result["sha256"]

    stranger = signed_app.test_client()
    sign_in(stranger, DEMO_BINH)
    assert stranger.get(result["url"]).status_code == 404
