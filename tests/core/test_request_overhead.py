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


def _calls_per_request(app, path: str, runs: int = 20) -> float:
    """Python function calls inside the application for one GET of ``path``, as gunicorn would call it (the test
    client's own work is left out)."""
    import sys

    from werkzeug.test import EnvironBuilder

    def once():
        environ = EnvironBuilder(path=path, base_url="http://127.0.0.1:8000/").get_environ()
        body = app(environ, lambda status, headers, exc_info=None: None)
        b"".join(body)
        body.close()
        return environ

    once()
    once()  # connections pooled, caches warm: what a running worker does
    environs = [EnvironBuilder(path=path, base_url="http://127.0.0.1:8000/").get_environ() for _ in range(runs)]
    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        for environ in environs:
            body = app(environ, lambda status, headers, exc_info=None: None)
            b"".join(body)
            body.close()
    finally:
        sys.setprofile(None)
    return calls / runs


def test_the_empty_route_costs_little_more_than_flask_itself(app):
    """Issue 16: before its own work a request passes every extension's hooks. They now run only when they have
    something to do (no limit to check, no CSRF on a GET, no remember-me cookie, no session cookie to write), each
    hook's sync wrapper is looked up once, and the security headers are built once. A hello-world Flask app costs
    about 330 calls per request; /livez cost 1,072 before, /healthz 1,318."""
    from flask import Flask, jsonify

    hello = Flask("hello")
    hello.get("/livez")(lambda: jsonify(status="ok"))
    ceiling = _calls_per_request(hello, "/livez")
    ours = _calls_per_request(app, "/livez")
    assert ours <= ceiling + 180, (ours, ceiling)  # 476 against 328 when written
    health = _calls_per_request(app, "/healthz")
    assert health <= ours + 200, (health, ours)  # the ping, the uploads folder and a bigger body: 650


def test_hooks_without_work_still_act_when_there_is_some(app, client):
    """What the skipped hooks would have done still happens when it applies: the answer keeps its security headers,
    a throttled view is still counted (its decorator) and a deployment's limit for every route still applies."""
    from flask import Flask

    from core.extensions import _Limiter

    response = client.get("/livez")
    assert response.headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response.headers
    assert "Vary" not in response.headers  # nothing read the session: the answer does not depend on the cookie

    other = Flask("limited")
    other.config["RATELIMIT_HEADERS_ENABLED"] = True
    limited = _Limiter(key_func=lambda: "client", default_limits=["2 per minute"], storage_uri="memory://")
    limited.init_app(other)
    other.get("/")(lambda: "ok")
    web = other.test_client()
    assert [web.get("/").status_code for _ in range(3)] == [200, 200, 429]
    assert web.get("/").headers.get("Retry-After")
