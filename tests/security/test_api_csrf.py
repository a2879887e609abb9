"""SEC-16: a multipart (or form) API write authenticated only by the session cookie needs the page's CSRF token."""

from __future__ import annotations

import io
import re

from tests.web.helpers import make_dossier

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, code, **extra):
    return client.post(f"/api/v1/dossiers/{code}/attachments", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(PDF), "to-khai.pdf"), **extra.pop("data", {})}, **extra)


def test_cookie_only_multipart_upload_needs_the_csrf_token(app, client, factory, desk):
    code = make_dossier(app)
    factory.login(client, "a.tiepnhan")
    refused = upload(client, code)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "csrf_required"
    page = client.get(f"/xa-a/dossiers/{code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert upload(client, code, data={"csrf_token": token}).status_code == 201
    assert upload(client, code, headers={"X-CSRFToken": token}).status_code == 201
    # A bearer token needs no CSRF token (no cookie travels with it from another site).
    assert upload(app.test_client(), code, headers=factory.token(app.test_client(), "a.tiepnhan")).status_code == 201
