"""National portal sync driven as users drive it: dossiers through the HTTP API, the outbox worker's command, the
portal simulator recording what arrives, and the administrator's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import PERMIT, PERMIT_DATA, SYNC_CONFIG, deliver, portal_rows, records, set_mode, simulator_call
from sqlalchemy import select

from core.national_portal.schema import schema_errors

pytestmark = pytest.mark.app_config(**SYNC_CONFIG)


@pytest.fixture
def synced_app(app, simulator):
    app.config["NATIONAL_PORTAL_URL"] = simulator.url
    return app


@pytest.fixture
def desk(synced_app, factory):
    factory.district("huyen", agency_code="000.00.20.H27")
    return factory.desk("xa-a", plugins=("civil_status", "lifetest"), parent="huyen", agency_code="000.20.21.H27")


def _national_sync(desk, code):
    response = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("reception"))
    assert response.status_code == 200
    return response.get_json()["national_sync"]


def test_a_dossier_from_reception_to_return_reaches_the_portal_with_every_status_in_order(desk, simulator, runner):
    code = desk.receive(PERMIT, PERMIT_DATA)["code"]
    assert _national_sync(desk, code) == {"state": "pending", "synced_at": None, "attempts": 0, "last_error": None}
    desk.act(code, "reception", "assign", assignee=desk.officers["specialist"])
    desk.act(code, "specialist", "request_payment", amount=50000)
    desk.act(code, "reception", "payment_received")
    desk.act(code, "specialist", "submit_for_approval")  # no change of national status: nothing sent
    desk.act(code, "leader", "approve")
    desk.act(code, "reception", "return_result", received_by="Phan Thị Hạnh")

    result = runner.invoke(args=["outbox", "deliver"])  # the outbox worker's own command
    assert result.exit_code == 0, result.output
    got = records(simulator)
    assert [p["national_status"] for p in got] == [2, 4, 6, 4, 9, 10]
    assert all(schema_errors(p) == [] for p in got)
    assert {p["dossier_code"] for p in got} == {code}
    assert [p["sequence"] for p in got] == sorted(p["sequence"] for p in got)
    first, last = got[0], got[-1]
    assert first["procedure_national_code"] == "9.000001" and first["channel"] == "counter"
    assert first["sender_agency_code"] == "000.00.00.H27"
    assert first["receiving_agency_code"] == first["deciding_agency_code"] == "000.20.21.H27"
    assert first["fee"] == 50000 and first["payment_status"] == "unpaid" and first["returned_at"] is None
    assert first["received_at"] is not None and first["due_at"] is not None
    assert last["finished_at"] and last["returned_at"]
    body = desk.client.get(f"/api/v1/dossiers/{code}", headers=desk.headers("reception")).get_json()
    # The payload says what the dossier JSON says of the fee (online payments), else the desk's own record.
    assert last["payment_status"] == (body["payment"]["status"] if "payment" in body else "paid")
    assert last["result"] == {"electronic": False, "signed": False}
    sync = _national_sync(desk, code)
    assert sync["state"] == "synced" and sync["synced_at"] and sync["attempts"] == 1 and sync["last_error"] is None
    # Nothing is sent twice: another pass finds nothing, the simulator's file keeps the same six.
    assert runner.invoke(args=["outbox", "deliver"]).output.strip() == "sent 0, will retry 0, dead 0"
    assert len(records(simulator)) == 6


def test_an_online_submission_is_pushed_as_new_then_received(desk, simulator):
    body = {"procedure": PERMIT, "channel": "online", "data": PERMIT_DATA,
            "applicant": {"full_name": "Phan Thị Hạnh", "id_number": "001190012345", "phone": "0987654321",
                          "address": "Thôn Bắc"}}
    response = desk.client.post("/api/v1/units/xa-a/dossiers", json=body)
    assert response.status_code == 201, response.get_json()
    code = response.get_json()["code"]
    desk.act(code, "reception", "receive")
    deliver(desk.factory.app)
    got = records(simulator)
    assert [(p["national_status"], p["channel"]) for p in got] == [(1, "online"), (2, "online")]
    assert got[0]["received_at"] is None and got[1]["received_at"] is not None


def test_an_outage_leaves_rows_pending_and_they_arrive_after_recovery_none_twice(desk, simulator):
    app = desk.factory.app
    code = desk.receive(PERMIT, PERMIT_DATA)["code"]
    desk.act(code, "reception", "assign", assignee=desk.officers["specialist"])

    set_mode(simulator, "error")
    deliver(app)
    # Only the oldest row of the dossier is tried: the next waits for it, so the portal never sees 4 before 2.
    assert [(r["status"], r["attempts"]) for r in portal_rows(app, code)] == [("pending", 1), ("pending", 0)]
    sync = _national_sync(desk, code)
    assert sync["state"] == "pending" and sync["synced_at"] is None
    assert "HTTP 503" in portal_rows(app, code)[0]["error"]

    set_mode(simulator, "timeout", delay=2)
    deliver(app, later=timedelta(minutes=5))
    assert records(simulator) == []
    first = portal_rows(app, code)[0]
    assert first["attempts"] == 2 and "timed out" in first["error"].lower()

    desk.act(code, "specialist", "submit_for_approval")
    desk.act(code, "leader", "approve")
    set_mode(simulator, "ok")
    deliver(app)  # the retry is not due yet: nothing is sent early, and the later rows wait for it
    assert records(simulator) == []
    deliver(app, later=timedelta(hours=1))
    assert [r["status"] for r in portal_rows(app, code)] == ["sent", "sent", "sent"]
    got = records(simulator)
    assert [p["national_status"] for p in got] == [2, 4, 9]
    assert len({p["message_id"] for p in got}) == 3
    assert deliver(app, later=timedelta(days=1)).attempted == 0
    assert len(records(simulator)) == 3
    assert _national_sync(desk, code)["state"] == "synced"


def test_the_simulator_refuses_a_payload_that_breaks_the_schema(simulator):
    import json
    import urllib.error
    import urllib.request

    bad = {"schema_version": 1, "dossier_code": "X", "national_status": 11}
    request = urllib.request.Request(simulator.url, data=json.dumps(bad).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Bearer portal-token"})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 422
    errors = json.loads(caught.value.read())["errors"]
    caught.value.close()
    assert any("national_status" in e for e in errors) and any("message_id" in e for e in errors)
    unauthorised = urllib.request.Request(simulator.url, data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(unauthorised, timeout=5)
    assert caught.value.code == 401
    caught.value.close()
    assert simulator_call(simulator, "/_simulator/records")["count"] == 0


def test_a_rejection_fails_at_once_and_the_administrator_resends(desk, simulator, factory):
    app = desk.factory.app
    code = desk.receive(PERMIT, PERMIT_DATA)["code"]
    set_mode(simulator, "reject")
    deliver(app)
    assert [(r["status"], r["attempts"]) for r in portal_rows(app, code)] == [("dead", 1)]  # refused for good
    sync = _national_sync(desk, code)
    assert sync["state"] == "failed" and sync["attempts"] == 1 and sync["last_error"].startswith(
        "DeliveryRejected: HTTP 422")

    factory.user("huyen.admin", ("district_admin", "huyen"))
    admin = app.test_client()
    factory.login(admin, "huyen.admin")
    overview = admin.get("/huyen/admin")
    assert b"/huyen/admin/cong-dvc-quoc-gia" in overview.data  # reachable from the admin navigation
    page = admin.get("/huyen/admin/cong-dvc-quoc-gia")
    assert page.status_code == 200 and code.encode() in page.data and b"HTTP 422" in page.data

    missing = admin.post("/huyen/admin/cong-dvc-quoc-gia/gui-lai", data={"code": "KHONG-CO"})
    assert missing.status_code == 404 and "Không tìm thấy hồ sơ KHONG-CO".encode() in missing.data
    assert admin.post("/huyen/admin/cong-dvc-quoc-gia/gui-lai", data={"code": "  "}).status_code == 422
    assert len(portal_rows(app, code)) == 1  # bad input changes nothing
    set_mode(simulator, "ok")
    response = admin.post("/huyen/admin/cong-dvc-quoc-gia/gui-lai", data={"code": code}, follow_redirects=True)
    assert response.status_code == 200 and "Đã xếp hồ sơ".encode() in response.data
    assert _national_sync(desk, code)["state"] == "pending"
    deliver(app)
    assert [p["national_status"] for p in records(simulator)] == [2]
    assert _national_sync(desk, code)["state"] == "synced"
    assert f'value="{code}"'.encode() not in admin.get("/huyen/admin/cong-dvc-quoc-gia").data
    assert [r["status"] for r in portal_rows(app, code)] == ["dead", "sent"]  # the failed row is kept

    from core.extensions import db
    from core.tenancy.models import ChangeLog

    with app.app_context():
        log = db.session.scalars(select(ChangeLog).where(ChangeLog.action == "national_portal.resend")).all()
        assert [row.target for row in log] == [code]
    log_page = admin.get("/huyen/admin/nhat-ky")
    assert "Gửi lại hồ sơ lên Cổng Dịch vụ công quốc gia".encode() in log_page.data


def test_another_districts_admin_cannot_resend(desk, simulator, factory):
    code = desk.receive(PERMIT, PERMIT_DATA)["code"]
    factory.district("huyen-khac")
    factory.user("khac.admin", ("district_admin", "huyen-khac"))
    other = desk.factory.app.test_client()
    factory.login(other, "khac.admin")
    assert code.encode() not in other.get("/huyen-khac/admin/cong-dvc-quoc-gia").data
    assert other.post("/huyen-khac/admin/cong-dvc-quoc-gia/gui-lai", data={"code": code}).status_code == 404
    assert other.post("/huyen/admin/cong-dvc-quoc-gia/gui-lai", data={"code": code}).status_code == 403
    assert len(portal_rows(desk.factory.app, code)) == 1
