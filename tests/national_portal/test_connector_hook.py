"""A province's integration bus replaces core's connector through register_national_portal_connector: the outbox
hands it every payload, its DeliveryRejected fails the row at once, and sync runs without NATIONAL_PORTAL_URL."""

from __future__ import annotations

import pytest
from helpers import PERMIT, PERMIT_DATA, deliver, portal_rows

from core.plugins import DeliveryRejected, PluginInfo, hookimpl


class ProvinceBus:
    def __init__(self):
        self.sent, self.refuse = [], False

    def enabled(self) -> bool:
        return True

    def send(self, payload: dict) -> None:
        if self.refuse:
            raise DeliveryRejected("LGSP: mã TTHC chưa được ánh xạ")
        self.sent.append(payload)


BUS = ProvinceBus()


class _BusHooks:
    @hookimpl
    def register_national_portal_connector(self):
        return BUS


pytestmark = [pytest.mark.plugin(_BusHooks(), PluginInfo(name="lgspbus", title="Trục LGSP")),
              pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status", "lifetest", "lgspbus"))]


@pytest.fixture(autouse=True)
def _fresh_bus():
    BUS.sent.clear()
    BUS.refuse = False


def test_a_plugins_connector_replaces_cores(app, factory):
    assert app.extensions["motcua"].national_connector is BUS
    desk = factory.desk("xa-a", plugins=("civil_status", "lifetest"))
    code = desk.receive(PERMIT, PERMIT_DATA)["code"]
    desk.act(code, "reception", "assign", assignee=desk.officers["specialist"])
    deliver(app)
    assert [(p["dossier_code"], p["national_status"]) for p in BUS.sent] == [(code, 2), (code, 4)]
    body = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("reception")).get_json()
    assert body["national_sync"]["state"] == "synced"


def test_the_connectors_rejection_fails_the_row_at_once(app, factory):
    desk = factory.desk("xa-a", plugins=("civil_status", "lifetest"))
    code = desk.receive(PERMIT, PERMIT_DATA)["code"]
    BUS.refuse = True
    deliver(app)
    rows = portal_rows(app, code)
    assert [(r["status"], r["attempts"]) for r in rows] == [("dead", 1)]
    assert rows[0]["error"] == "DeliveryRejected: LGSP: mã TTHC chưa được ánh xạ"
    body = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("reception")).get_json()
    assert body["national_sync"] == {"state": "failed", "synced_at": None, "attempts": 1,
                                     "last_error": "DeliveryRejected: LGSP: mã TTHC chưa được ánh xạ"}
