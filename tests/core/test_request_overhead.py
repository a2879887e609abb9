"""What every request pays before its own work (issue 16): the liveness route asks nothing of the database, and a
request without a session cookie does not build the cookie signer."""

from __future__ import annotations

from core.extensions import db
from core.sqlcount import counting


def _engine(app):
    with app.app_context():
        return db.engine


def test_livez_answers_without_the_database_or_a_cookie(app, client):
    with counting(_engine(app)) as counts:
        response = client.get("/livez")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert counts.statements == [] and counts.checkouts == 0
    assert "Set-Cookie" not in response.headers
    assert client.post("/livez").status_code == 405  # JSON error, like /healthz
    assert client.post("/livez").get_json()["error"]


def test_a_request_without_a_session_cookie_builds_no_signer(app, client, factory, monkeypatch):
    interface = app.session_interface
    built = []
    original = interface.get_signing_serializer
    monkeypatch.setattr(interface, "get_signing_serializer", lambda a: built.append(1) or original(a))
    assert client.get("/livez").status_code == 200
    assert client.get("/tra-cuu").status_code == 200
    assert built == []
    # A signed-in officer's cookie is still read and checked.
    factory.district("huyen")
    factory.commune("xa-a", parent="huyen")
    factory.user("tn.a", ("reception", "xa-a"))
    factory.login(client, "tn.a")
    built.clear()
    me = client.get("/me")
    assert built and me.status_code == 302 and "/xa-a" in me.headers["Location"]
    client.set_cookie("session", "forged.value.sig")
    assert client.get("/me").status_code == 302 and "/login" in client.get("/me").headers["Location"]
