"""The demo identity provider on a free local port, and the real authorization-code flow driven against it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

DEMO_AN = {"sub": "demo-nguyen-van-an", "id_number": "027090000001", "name": "Nguyễn Văn An"}
DEMO_BINH = {"sub": "demo-tran-thi-binh", "id_number": "027092000002", "name": "Trần Thị Bình"}


@pytest.fixture(scope="module")
def idp():
    """The issuer URL of the demo provider (oidc-provider-mock), one per module, stopped at its end."""
    from core.citizens.demo_idp import serve_in_thread

    with serve_in_thread() as issuer:
        yield issuer


def use_provider(app, issuer: str) -> None:
    app.config.update(VNEID_ISSUER=issuer, VNEID_CLIENT_ID="motcua-test", VNEID_CLIENT_SECRET="test-secret")


def authorize(client, start_path: str = "/dang-nhap-vneid/bat-dau", **form) -> str:
    """Start sign-in, answer the provider's page as a citizen would (``form``: the button pressed) and return the
    path and query the provider sends the browser back to."""
    response = client.get(start_path)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = requests.get(response.location, timeout=10)
    assert page.status_code == 200 and "DEMO" in page.text
    answer = requests.post(response.location, data=form or {"sub": DEMO_AN["sub"]}, allow_redirects=False,
                           timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def sign_in(client, who: dict = DEMO_AN, start_path: str = "/dang-nhap-vneid/bat-dau"):
    """The whole flow; returns the callback's answer."""
    return client.get(authorize(client, start_path, sub=who["sub"]))
