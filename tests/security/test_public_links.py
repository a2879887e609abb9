"""SEC-07: links sent to citizens come from PUBLIC_BASE_URL, never from the request's Host header; production
refuses to start without it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import create_app
from core.config import ConfigError
from core.extensions import db
from core.notifications.models import Outbox
from tests.web.helpers import APPLICANT, birth_data


def _submit(client, host: str):
    return client.post("/api/v1/units/xa-a/dossiers", headers={"Host": host}, json={
        "procedure": "civil_status.birth_registration", "channel": "online",
        "applicant": dict(APPLICANT, email="victim@example.vn"), "data": birth_data()})


def _messages(app) -> list[str]:
    with app.app_context():
        return [row.body for row in db.session.scalars(select(Outbox))]


@pytest.mark.app_config(PUBLIC_BASE_URL="https://dichvucong.bacninh.gov.vn/")
def test_notifications_use_the_public_base_url_whatever_the_host(app, client, factory, desk):
    response = _submit(client, "dichvucong-bacninh.evil.example")
    assert response.status_code == 201
    messages = _messages(app)
    assert len(messages) == 2  # SMS and e-mail
    code = response.get_json()["code"]
    assert all(f"https://dichvucong.bacninh.gov.vn/tra-cuu?code={code}" in m for m in messages)
    assert not any("evil" in m for m in messages)


def test_without_the_setting_development_never_trusts_the_host_either(app, client, factory, desk):
    assert _submit(client, "evil.example").status_code == 201
    messages = _messages(app)
    assert messages and not any("evil" in m for m in messages)


@pytest.mark.parametrize("value", ["", "dichvucong.bacninh.gov.vn", "https://", "ftp://x.vn"])
def test_production_refuses_to_start_without_a_public_base_url(database_url, monkeypatch, tmp_path, value):
    monkeypatch.setenv("MOTCUA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("PUBLIC_BASE_URL", value)
    with pytest.raises(ConfigError, match="PUBLIC_BASE_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://dichvucong.bacninh.gov.vn")
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SESSION_COOKIE_SECURE"] is True
