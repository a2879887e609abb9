"""SEC-09: security headers on every response, Secure cookies and HSTS in production, and templates that a strict
script policy does not break (no inline script, handler or javascript: link)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core import create_app
from tests.web.helpers import make_dossier

ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in response.headers["Content-Security-Policy"].split(";"))}


def assert_hardened(response, framed: bool = False):
    policy = _policy(response)
    assert policy["script-src"] == "'self'", policy
    assert policy["frame-ancestors"] == ("'self'" if framed else "'none'")
    assert policy["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == ("SAMEORIGIN" if framed else "DENY")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_every_kind_of_response_has_the_headers(app, client, factory, desk):
    code = make_dossier(desk.app)
    for url in ("/", "/login", "/tra-cuu", "/api/v1/units", "/healthz", "/khong-co", "/api/v1/khong-co",
                "/static/js/app.js"):
        response = client.get(url)
        assert_hardened(response)
        assert "Strict-Transport-Security" not in response.headers  # development: plain HTTP
    factory.login(client, "a.tiepnhan")
    assert_hardened(client.get("/xa-a/"))
    page = client.get(f"/xa-a/dossiers/{code}?print=receipt")
    assert page.status_code == 200
    assert_hardened(page)
    # The receipt shown inside the dossier page may be framed by the app itself, by nobody else.
    frame = re.search(r'<iframe[^>]*src="([^"]+)"', page.get_data(as_text=True))
    assert frame is not None
    document = client.get(frame.group(1).replace("&amp;", "&"))
    assert document.status_code == 200
    assert_hardened(document, framed=True)


def test_production_sends_hsts_and_secure_cookies(database_url, monkeypatch, factory, desk):
    monkeypatch.setenv("MOTCUA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://dichvucong.example.gov.vn")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    response = client.get("/login", base_url="https://dichvucong.example.gov.vn")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert_hardened(response)
    login = client.post("/login", data={"username": "a.tiepnhan", "password": "motcua-test-pass"},
                        base_url="https://dichvucong.example.gov.vn")
    cookie = login.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


TEMPLATE_DIRS = [ROOT / "templates", ROOT / "core", ROOT / "plugins", ROOT / "examples"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, HANDLER, JS_URL], ids=["inline-script", "handler", "js-url"])
def test_templates_need_no_inline_script(pattern):
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)]
    assert offenders == []
