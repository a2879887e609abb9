"""SEC-08: logout, a password change and deactivation end every session and revoke every token of the user."""

from __future__ import annotations

from core.testing import TEST_PASSWORD


def _session(client, factory, username):
    factory.login(client, username)
    return client.get_cookie("session").value


def _replay(app, cookie) -> int:
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other.get("/xa-a/").status_code


def test_logout_ends_every_session_and_token(app, client, factory, desk):
    first = _session(client, factory, "a.tiepnhan")
    elsewhere = app.test_client()
    second = _session(elsewhere, factory, "a.tiepnhan")
    token = factory.token(app.test_client(), "a.tiepnhan")
    assert _replay(app, first) == 200 and _replay(app, second) == 200
    assert client.get("/api/v1/units/xa-a/dossiers", headers=token).status_code == 200

    assert client.post("/logout").status_code == 302
    assert _replay(app, first) == 302  # the saved cookie is no longer a session …
    assert _replay(app, second) == 302  # … nor the other browser's
    assert client.get("/api/v1/units/xa-a/dossiers", headers=token).status_code == 401
    factory.login(client, "a.tiepnhan")  # logging in again works
    assert client.get("/xa-a/").status_code == 200


def test_password_change_and_deactivation_end_sessions_for_good(app, client, factory, desk):
    cookie = _session(app.test_client(), factory, "a.tiepnhan")
    token = factory.token(app.test_client(), "a.tiepnhan")
    factory.login(client, "huyen.admin")
    form = {"full_name": "Lê Thị Tiếp", "active": "y", "password": "mat-khau-moi-123"}
    assert client.post("/huyen-test/admin/can-bo/a.tiepnhan", data=form).status_code == 302
    assert _replay(app, cookie) == 302
    assert app.test_client().get("/api/v1/units/xa-a/dossiers", headers=token).status_code == 401

    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "a.tiepnhan", "password": "mat-khau-moi-123"}).status_code == 302
    cookie = fresh.get_cookie("session").value
    token = factory.token(app.test_client(), "a.tiepnhan", "mat-khau-moi-123")
    # Deactivate, then reactivate: neither the old session nor the old token comes back.
    assert client.post("/huyen-test/admin/can-bo/a.tiepnhan", data={"full_name": "Lê Thị Tiếp"}).status_code == 302
    assert client.post("/huyen-test/admin/can-bo/a.tiepnhan",
                       data={"full_name": "Lê Thị Tiếp", "active": "y"}).status_code == 302
    assert _replay(app, cookie) == 302
    assert app.test_client().get("/api/v1/units/xa-a/dossiers", headers=token).status_code == 401


def test_cli_password_change_ends_sessions(app, client, factory, desk, runner):
    cookie = _session(client, factory, "a.tiepnhan")
    result = runner.invoke(args=["users", "set-password", "a.tiepnhan", "--password", "mat-khau-moi-123"])
    assert result.exit_code == 0, result.output
    assert _replay(app, cookie) == 302


def test_token_revoke_endpoint(app, client, factory, desk):
    one, two = factory.token(client, "a.tiepnhan"), factory.token(client, "a.tiepnhan")
    cookie = _session(app.test_client(), factory, "a.tiepnhan")
    assert client.post("/api/v1/auth/revoke").status_code == 401
    response = client.post("/api/v1/auth/revoke", headers=one)
    assert response.status_code == 200 and response.get_json() == {"revoked": "token"}
    assert client.get("/api/v1/units/xa-a/dossiers", headers=one).status_code == 401
    assert client.get("/api/v1/units/xa-a/dossiers", headers=two).status_code == 200
    assert client.post("/api/v1/auth/revoke", headers=two, json={"all": "yes"}).status_code == 422
    assert client.post("/api/v1/auth/revoke", headers=two, json={"all": True}).get_json() == {"revoked": "all"}
    assert client.get("/api/v1/units/xa-a/dossiers", headers=two).status_code == 401
    assert _replay(app, cookie) == 302
    assert client.post("/api/v1/auth/token", json={"username": "a.tiepnhan",
                                                   "password": TEST_PASSWORD}).status_code == 200
