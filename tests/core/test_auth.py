"""Session login for pages, bearer tokens for the API, and throttling of repeated failures."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from core.extensions import db
from core.testing import TEST_PASSWORD
from core.users.models import ApiToken, User

WRONG = "not-the-password"
BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


@pytest.fixture
def officer(factory):
    factory.commune("xa-a")
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"), full_name="Nguyễn Thị Tiếp")
    return "xa-a.tiepnhan"


def html(response) -> str:
    return response.get_data(as_text=True)


def token_request(client, username, password):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def protected(client, headers=None):
    """An API call that needs a user: the dossier list of xa-a."""
    return client.get("/api/v1/units/xa-a/dossiers", headers=headers or {})


def assert_error(response, status: int, code: str):
    assert response.status_code == status
    assert response.content_type == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert {"code", "message", "fields"} <= set(body["error"])
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["fields"], dict)
    return body["error"]


# --- login page --------------------------------------------------------------------------------------------------


def test_login_page_is_in_vietnamese(client):
    response = client.get("/login")
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="vi">' in page
    assert "Cán bộ đăng nhập" in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page


def test_login_success_starts_a_session(client, officer):
    response = client.post("/login", data={"username": officer, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert not response.location.startswith("/login")
    page = html(client.get("/login"))
    assert "Nguyễn Thị Tiếp" in page  # the header shows who is logged in
    assert "Đăng xuất" in page
    assert not client.get("/me").location.startswith("/login")


def test_login_accepts_surrounding_spaces_in_username(client, officer):
    response = client.post("/login", data={"username": f"  {officer} ", "password": TEST_PASSWORD})
    assert response.status_code == 302 and not response.location.startswith("/login")
    assert "Đăng xuất" in html(client.get(response.location, follow_redirects=True))  # logged in as that officer
    assert not client.get("/me").location.startswith("/login")


def test_login_follows_a_local_next_only(client, officer):
    response = client.post("/login?next=/api/v1/units", data={"username": officer, "password": TEST_PASSWORD})
    assert response.location == "/api/v1/units"
    client.post("/logout")
    for unsafe in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post("/login", query_string={"next": unsafe},
                               data={"username": officer, "password": TEST_PASSWORD})
        assert response.status_code == 302
        assert "evil" not in response.location and "javascript" not in response.location
        client.post("/logout")


# Usernames are stored in lower case and read case-folded (SEC-01): "XA-A.TIEPNHAN" is the same account.
@pytest.mark.parametrize("username, password", [("xa-a.tiepnhan", WRONG), ("nobody", TEST_PASSWORD),
                                                ("xa-a.tiepnhan.", TEST_PASSWORD)])
def test_login_failure_says_so_in_vietnamese(client, officer, username, password):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 401
    assert BAD_CREDENTIALS in html(response)
    assert client.get("/me").location.startswith("/login")


def test_login_with_empty_fields(client, officer):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 200
    page = html(response)
    assert "Vui lòng nhập tên đăng nhập." in page
    assert "Vui lòng nhập mật khẩu." in page


def test_inactive_user_cannot_log_in(client, factory):
    factory.commune("xa-a")
    factory.user("xa-a.nghiviec", ("reception", "xa-a"), active=False)
    response = client.post("/login", data={"username": "xa-a.nghiviec", "password": TEST_PASSWORD})
    assert response.status_code == 401
    assert BAD_CREDENTIALS in html(response)  # same answer as a wrong password: nothing to learn


def test_deactivated_user_loses_the_session(app, client, officer, factory):
    factory.login(client, officer)
    with app.app_context():
        db.session.execute(update(User).where(User.username == officer).values(active=False))
        db.session.commit()
    assert client.get("/me").location.startswith("/login")


def test_logout(client, officer, factory):
    factory.login(client, officer)
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.location == "/login"
    assert "Bạn đã đăng xuất." in html(client.get("/login"))
    assert client.get("/me").location.startswith("/login")


def test_logout_needs_post_and_a_session(client, officer, factory):
    factory.login(client, officer)
    client.get("/logout")  # a link or an image cannot log anyone out
    assert not client.get("/me").location.startswith("/login")
    client.post("/logout")
    response = client.post("/logout")  # no session any more
    assert response.status_code == 302
    assert response.location.startswith("/login")


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_login_form_needs_the_csrf_token(client, officer):
    response = client.post("/login", data={"username": officer, "password": TEST_PASSWORD})
    assert response.status_code == 400  # CSRFProtect refuses the post before the view runs
    assert client.get("/me").location.startswith("/login")


# --- API tokens --------------------------------------------------------------------------------------------------


def test_token_issued_with_expiry(app, client, officer):
    before = datetime.now(UTC)
    response = token_request(client, officer, TEST_PASSWORD)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    assert len(body["token"]) >= 40
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert expires_at.utcoffset() == timedelta(hours=7)  # Vietnam time, like every other moment in the API
    hours = app.config["API_TOKEN_HOURS"]
    assert before + timedelta(hours=hours) - timedelta(minutes=1) <= expires_at
    assert expires_at <= datetime.now(UTC) + timedelta(hours=hours)

    assert protected(client, bearer(body["token"])).status_code == 200
    with app.app_context():  # stored hashed, never in clear
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored == [hashlib.sha256(body["token"].encode()).hexdigest()]


def test_each_request_gets_its_own_token(client, officer):
    first = token_request(client, officer, TEST_PASSWORD).get_json()["token"]
    second = token_request(client, officer, TEST_PASSWORD).get_json()["token"]
    assert first != second
    assert protected(client, bearer(first)).status_code == 200
    assert protected(client, bearer(second)).status_code == 200


@pytest.mark.parametrize("username, password", [("xa-a.tiepnhan", WRONG), ("nobody", TEST_PASSWORD),
                                                ("xa-a.tiepnhan", "")])
def test_bad_credentials_get_401_json(client, officer, username, password):
    error = assert_error(token_request(client, username, password), 401, "invalid_credentials")
    assert error["message"] == BAD_CREDENTIALS
    assert error["fields"] == {}


def test_missing_fields_get_400_with_field_errors(client):
    error = assert_error(client.post("/api/v1/auth/token", json={"username": "x"}), 400, "invalid")
    assert set(error["fields"]) == {"password"}
    error = assert_error(client.post("/api/v1/auth/token", json={"username": 5, "password": None}), 400, "invalid")
    assert set(error["fields"]) == {"username", "password"}


def test_token_request_must_be_a_json_object(client):
    assert_error(client.post("/api/v1/auth/token", data="username=x&password=y",
                             content_type="application/x-www-form-urlencoded"), 415, "unsupported_media_type")
    assert_error(client.post("/api/v1/auth/token", data="[1, 2]", content_type="application/json"), 400, "bad_json")
    assert_error(client.post("/api/v1/auth/token", data="{not json", content_type="application/json"), 400,
                 "bad_json")


def test_token_endpoint_only_answers_post(client):
    assert_error(client.get("/api/v1/auth/token"), 405, "method_not_allowed")


def test_inactive_user_gets_no_token(client, factory):
    factory.commune("xa-a")
    factory.user("xa-a.nghiviec", ("reception", "xa-a"), active=False)
    assert_error(token_request(client, "xa-a.nghiviec", TEST_PASSWORD), 401, "invalid_credentials")


def test_token_of_a_deactivated_user_is_refused(app, client, officer):
    token = token_request(client, officer, TEST_PASSWORD).get_json()["token"]
    with app.app_context():
        db.session.execute(update(User).where(User.username == officer).values(active=False))
        db.session.commit()
    assert_error(protected(client, bearer(token)), 401, "unauthorized")


def test_expired_token_is_refused(app, client, officer):
    token = token_request(client, officer, TEST_PASSWORD).get_json()["token"]
    assert protected(client, bearer(token)).status_code == 200
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
    assert_error(protected(client, bearer(token)), 401, "unauthorized")


@pytest.mark.parametrize("header", ["Bearer not-a-real-token", "Bearer ", "Basic eGEtYToxMjM=", "bearer"])
def test_unknown_or_malformed_authorization_is_refused(client, officer, header):
    assert_error(protected(client, {"Authorization": header}), 401, "unauthorized")


def test_no_credentials_at_all(client, officer):
    assert_error(protected(client), 401, "unauthorized")


def test_expired_tokens_are_cleaned_up_on_the_next_issue(app, client, officer):
    token_request(client, officer, TEST_PASSWORD)
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(hours=1)))
        db.session.commit()
    token_request(client, officer, TEST_PASSWORD)
    with app.app_context():
        rows = db.session.scalars(select(ApiToken)).all()
    assert len(rows) == 1
    assert rows[0].expires_at > datetime.now(UTC)


# --- throttling --------------------------------------------------------------------------------------------------


def test_login_rate_limit_default_is_ten_per_minute(app):
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per minute"


def test_repeated_token_failures_are_throttled(client, officer):
    for _ in range(10):
        assert token_request(client, officer, WRONG).status_code == 401
    error = assert_error(token_request(client, officer, WRONG), 429, "too_many_requests")
    assert "Quá nhiều yêu cầu" in error["message"]
    # Locked even with the right password until the window passes.
    assert_error(token_request(client, officer, TEST_PASSWORD), 429, "too_many_requests")


def test_throttling_is_per_username(client, officer, factory):
    factory.user("xa-a.chuyenvien", ("specialist", "xa-a"))
    for _ in range(10):
        token_request(client, officer, WRONG)
    assert token_request(client, officer, WRONG).status_code == 429
    # A colleague at the same desk (same address) is not locked out by someone else's failures.
    assert token_request(client, "xa-a.chuyenvien", TEST_PASSWORD).status_code == 200


def test_successes_do_not_count_towards_the_limit(client, officer):
    for _ in range(9):
        assert token_request(client, officer, WRONG).status_code == 401
    for _ in range(5):
        assert token_request(client, officer, TEST_PASSWORD).status_code == 200
    assert token_request(client, officer, WRONG).status_code == 401  # the tenth failure is still answered
    assert token_request(client, officer, WRONG).status_code == 429


@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute")
def test_limit_comes_from_config(client, officer):
    for _ in range(3):
        assert token_request(client, officer, WRONG).status_code == 401
    assert token_request(client, officer, WRONG).status_code == 429


@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute")
def test_login_page_is_throttled_too(client, officer):
    for _ in range(3):
        assert client.post("/login", data={"username": officer, "password": WRONG}).status_code == 401
    response = client.post("/login", data={"username": officer, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in html(response)
    assert client.get("/login").status_code == 200  # the page itself is still shown


@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute")
def test_login_page_successes_do_not_count(client, officer):
    for _ in range(2):
        assert client.post("/login", data={"username": officer, "password": WRONG}).status_code == 401
    for _ in range(3):
        assert client.post("/login", data={"username": officer, "password": TEST_PASSWORD}).status_code == 302
        client.post("/logout")
    assert client.post("/login", data={"username": officer, "password": WRONG}).status_code == 401
    assert client.post("/login", data={"username": officer, "password": WRONG}).status_code == 429
