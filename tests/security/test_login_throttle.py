"""SEC-01, SEC-13: the login throttle counts per normalised account and, more loosely, per client address."""

from __future__ import annotations

import pytest

from core.testing import TEST_PASSWORD

WRONG = "not-the-password"


@pytest.fixture
def officer(factory):
    factory.commune("xa-a")
    factory.user("xa-a.tiepnhan", ("reception", "xa-a"))
    factory.user("xa-a.lanhdao", ("leader", "xa-a"))
    return "xa-a.tiepnhan"


def token(client, username, password, address="10.0.0.1"):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def page_login(client, username, password, address="10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.mark.app_config(LOGIN_RATE_LIMIT="5 per minute")
def test_padding_or_recasing_the_username_gives_no_fresh_budget(client, officer):
    variants = [" xa-a.tiepnhan", "  xa-a.tiepnhan  ", "\txa-a.tiepnhan", "XA-A.TiepNhan", "ｘａ-ａ.tiepnhan"]
    for variant in variants:
        assert token(client, variant, WRONG).status_code == 401
    for variant in variants + ["xa-a.tiepnhan"]:
        assert token(client, variant, WRONG).status_code == 429, variant
    # Locked: the right password is refused too, whichever spelling, from any address.
    assert token(client, "   xa-a.tiepnhan  ", TEST_PASSWORD).status_code == 429
    assert token(client, "xa-a.tiepnhan", TEST_PASSWORD, address="10.9.9.9").status_code == 429
    assert page_login(client, "xa-a.tiepnhan", TEST_PASSWORD, address="10.9.9.9").status_code == 429


@pytest.mark.app_config(LOGIN_RATE_LIMIT="5 per minute")
def test_the_page_and_the_api_share_the_account_budget(client, officer):
    for _ in range(3):
        assert page_login(client, " XA-A.tiepnhan", WRONG).status_code == 401
    for _ in range(2):
        assert token(client, "xa-a.tiepnhan ", WRONG).status_code == 401
    assert page_login(client, "xa-a.tiepnhan", TEST_PASSWORD).status_code == 429


@pytest.mark.app_config(LOGIN_RATE_LIMIT="3 per minute", LOGIN_ADDRESS_RATE_LIMIT="10 per minute")
def test_one_office_is_not_locked_out_by_one_colleague(client, officer):
    for _ in range(3):
        assert page_login(client, "xa-a.tiepnhan", WRONG).status_code == 401
    assert page_login(client, "xa-a.tiepnhan", WRONG).status_code == 429
    # Same address, another account, the right password: let in.
    assert page_login(client, "xa-a.lanhdao", TEST_PASSWORD).status_code == 302


@pytest.mark.app_config(LOGIN_RATE_LIMIT="100 per minute", LOGIN_ADDRESS_RATE_LIMIT="4 per minute")
def test_one_address_cannot_spray_many_accounts(client, officer):
    for name in ("a1", "a2", "a3", "a4"):
        assert token(client, name, WRONG).status_code == 401
    assert token(client, "a5", WRONG).status_code == 429
    assert token(client, "xa-a.lanhdao", TEST_PASSWORD).status_code == 429
    # Another address is unaffected.
    assert token(client, "xa-a.lanhdao", TEST_PASSWORD, address="10.0.0.2").status_code == 200


def test_the_login_accepts_the_normalised_spellings(client, officer):
    assert token(client, "  XA-A.TIEPNHAN ", TEST_PASSWORD).status_code == 200
    assert page_login(client, "Xa-A.Tiepnhan", TEST_PASSWORD).status_code == 302
