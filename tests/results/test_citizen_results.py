"""Issue 11: the applicant signed in with VNeID finds the signed results in "Hồ sơ của tôi" and downloads them;
nobody else does."""

from __future__ import annotations

import hashlib

import pytest
from results_helpers import BIRTH, BIRTH_DATA

from core.testing import SAMPLE_APPLICANT
from tests.web.vneid import DEMO_AN, DEMO_BINH, idp, sign_in, use_provider  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_the_applicant_downloads_the_signed_result_from_the_citizens_area(desk, idp):  # noqa: F811
    app = desk.factory.app
    use_provider(app, idp)
    code = desk.receive(BIRTH, BIRTH_DATA, applicant=dict(SAMPLE_APPLICANT, id_number=DEMO_AN["id_number"]))["code"]
    result = desk.to_result(code)["results"][0]

    citizen = app.test_client()
    sign_in(citizen, DEMO_AN)
    page = citizen.get("/ho-so-cua-toi").get_data(as_text=True)
    assert code in page and f'href="{result["url"]}"' in page
    detail = citizen.get(f"/ho-so-cua-toi/{code}").get_data(as_text=True)
    assert result["title"] in detail and result["signer"] in detail
    pdf = citizen.get(result["url"])
    assert pdf.status_code == 200 and hashlib.sha256(pdf.data).hexdigest() == result["sha256"]

    other = app.test_client()
    sign_in(other, DEMO_BINH)
    assert code not in other.get("/ho-so-cua-toi").get_data(as_text=True)
    assert other.get(result["url"]).status_code == 404  # somebody else's result: as if it did not exist

    anonymous = app.test_client().get(result["url"])
    assert anonymous.status_code == 302 and "/dang-nhap-vneid" in anonymous.location
