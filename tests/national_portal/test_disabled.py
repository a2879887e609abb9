"""Without NATIONAL_PORTAL_URL (``make run``'s default) sync is disabled: nothing is queued and the JSON says so."""

from __future__ import annotations

import pytest
from helpers import PERMIT, PERMIT_DATA, portal_rows

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status", "lifetest"))


def test_sync_is_disabled_without_a_url(app, factory, runner):
    desk = factory.desk("xa-a", plugins=("civil_status", "lifetest"))
    code = desk.receive(PERMIT, PERMIT_DATA)["code"]
    body = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("reception")).get_json()
    assert body["national_sync"] == {"state": "disabled", "synced_at": None, "attempts": 0, "last_error": None}
    assert portal_rows(app, code) == []
    result = runner.invoke(args=["national-portal", "status"])
    assert result.exit_code == 0 and result.output.startswith("sync disabled")


def test_resend_while_disabled_is_refused_with_a_message(app, factory):
    desk = factory.desk("xa-a", plugins=("civil_status", "lifetest"))
    code = desk.receive(PERMIT, PERMIT_DATA)["code"]
    factory.user("xa-a.admin", ("unit_admin", "xa-a"))
    admin = factory.login(app.test_client(), "xa-a.admin")
    page = admin.get("/xa-a/admin/cong-dvc-quoc-gia")
    assert page.status_code == 200 and "Chưa bật đồng bộ".encode() in page.data
    response = admin.post("/xa-a/admin/cong-dvc-quoc-gia/gui-lai", data={"code": code})
    assert response.status_code == 409 and "không thể gửi lại".encode() in response.data
    assert portal_rows(app, code) == []
    english = admin.get("/xa-a/admin/cong-dvc-quoc-gia?lang=en")
    assert b"Sync is off" in english.data
