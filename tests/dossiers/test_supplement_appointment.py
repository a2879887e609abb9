"""Supplements as the citizen meets them: one at reception and one during processing (LAW-03), the appointment
as issued kept apart from the new one (LAW-05), Mẫu 02 reprinted as issued (DAY-17), what to bring shown on the
tracking page and sent by SMS/e-mail (DAY-21), and tracking codes whatever their case (DAY-22)."""

from __future__ import annotations

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, act, counts, create, get, svc_act, svc_create, vn
from sqlalchemy import select

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

RECEIVED = vn(2026, 3, 2, 8, 0)  # Monday; the test permit has 3 working days -> Thursday 08:00 (same_hour)
DUE = vn(2026, 3, 5, 8, 0)
MISSING = {"missing_documents": ["Bản vẽ thiết kế", "Bản chụp hộ khẩu cũ"], "reason": "Thiếu bản vẽ"}


def outbox(world, code, kind):
    from core.dossiers.models import Dossier
    from core.extensions import db
    from core.notifications.models import Outbox

    with world.app.app_context():
        dossier_id = db.session.scalar(select(Dossier.id).where(Dossier.code == code))
        return [(o.channel, o.body) for o in db.session.scalars(
            select(Outbox).where(Outbox.dossier_id == dossier_id, Outbox.kind == kind).order_by(Outbox.id))]


def test_a_received_dossier_is_sent_back_for_supplement_only_once(world):
    code = create(world).get_json()["code"]
    assert act(world, code, "tn.a", "request_supplement", **MISSING).status_code == 200
    assert act(world, code, "tn.a", "supplement_received").status_code == 200
    body = get(world, code, "tn.a").get_json()
    assert body["status"] == "received" and "request_supplement" not in body["allowed_actions"]
    before = counts(world.app)
    response = act(world, code, "tn.a", "request_supplement", **MISSING)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "supplement_once"
    assert "một lần" in response.get_json()["error"]["message"]
    assert counts(world.app) == before
    # Processing has its own one request, and no more.
    assert act(world, code, "tn.a", "assign", assignee="cv.a").status_code == 200
    assert act(world, code, "cv.a", "request_supplement", **MISSING).status_code == 200
    assert act(world, code, "cv.a", "supplement_received").status_code == 200
    assert act(world, code, "cv.a", "request_supplement", **MISSING).status_code == 409


def test_the_appointment_as_issued_is_kept_and_the_new_one_is_sent(world):
    code = svc_create(world, RECEIVED)
    svc_act(world, code, "tn.a", "assign", RECEIVED, assignee="cv.a")
    svc_act(world, code, "cv.a", "request_supplement", vn(2026, 3, 3, 10, 0), **MISSING)
    state = svc_act(world, code, "cv.a", "supplement_received", vn(2026, 3, 9, 14, 0))
    new_due = state["due_at"]
    assert new_due == vn(2026, 3, 11, 10, 0)
    body = get(world, code, "cv.a").get_json()
    assert body["original_due_at"] == "2026-03-05T08:00:00+07:00"
    assert body["due_at"] == "2026-03-11T10:00:00+07:00"
    # The citizen is told the new appointment.
    texts = outbox(world, code, "supplement_received")
    assert [c for c, _ in texts] == ["sms", "email"]
    assert all("Hẹn trả kết quả mới: 10:00 11/03/2026" in text for _, text in texts)
    # A reprinted Mẫu 01 shows the appointment given at reception, not the new one.
    world.factory.login(world.client, "tn.a")
    page = world.client.get(f"/xa-a/dossiers/{code}/documents/receipt").get_data(as_text=True)
    assert "08 giờ 00 phút, ngày 05/03/2026" in page
    assert "11/03/2026" not in page


def test_a_reprinted_supplement_request_shows_the_reception_time_as_issued(world):
    code = svc_create(world, vn(2026, 3, 2, 11, 20), username=None, channel="online")
    svc_act(world, code, "tn.a", "request_supplement", vn(2026, 3, 2, 11, 28), **MISSING)
    svc_act(world, code, "tn.a", "supplement_received", vn(2026, 3, 2, 11, 29))
    svc_act(world, code, "tn.a", "receive", vn(2026, 3, 2, 11, 29))
    world.factory.login(world.client, "tn.a")
    page = world.client.get(f"/xa-a/dossiers/{code}/documents/supplement_request").get_data(as_text=True)
    assert "11 giờ 20 phút, ngày 02/03/2026" in page  # submitted, before the form was issued at 11:28
    assert "11 giờ 29 phút" not in page


def test_the_citizen_is_told_what_to_bring_why_and_whom_to_ask(world):
    with world.app.app_context():
        from core.extensions import db

        unit = world.unit("xa-a")
        unit.phone = "0222 3838 111"
        db.session.commit()
    code = create(world, username=None, channel="online").get_json()["code"]
    assert act(world, code, "tn.a", "request_supplement", **MISSING).status_code == 200
    page = world.client.get("/tra-cuu", query_string={"code": code, "phone": APPLICANT["phone"]})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    section = html[html.index('id="supplement"'):]
    for expected in ("Bản vẽ thiết kế", "Bản chụp hộ khẩu cũ", "Thiếu bản vẽ", "Tn A", "0222 3838 111"):
        assert expected in section, expected
    for channel, text in outbox(world, code, "request_supplement"):
        for expected in ("Bản vẽ thiết kế", "Bản chụp hộ khẩu cũ", "Lý do: Thiếu bản vẽ", "Liên hệ: Tn A",
                         "0222 3838 111"):
            assert expected in text, (channel, expected)
    # Once the papers are in, the request is no longer shown.
    assert act(world, code, "tn.a", "supplement_received").status_code == 200
    html = world.client.get("/tra-cuu", query_string={"code": code, "phone": APPLICANT["phone"]}).get_data(
        as_text=True)
    assert 'id="supplement"' not in html


@pytest.mark.parametrize("typed", [str.lower, lambda c: f"  {c.lower()}  ", lambda c: c.title()])
def test_tracking_codes_are_case_insensitive(world, typed):
    code = create(world).get_json()["code"]
    assert code != code.lower()
    page = world.client.get("/tra-cuu", query_string={"code": typed(code), "phone": APPLICANT["phone"]})
    assert page.status_code == 200 and code in page.get_data(as_text=True)
    response = world.client.get(f"/api/v1/track/{typed(code).strip()}", query_string={"phone": APPLICANT["phone"]})
    assert response.status_code == 200 and response.get_json()["code"] == code
    # The phone still has to match.
    assert world.client.get("/tra-cuu", query_string={"code": typed(code), "phone": "0900000000"}).status_code == 404
