"""The applicant asks to withdraw a dossier (national status 7) with the code and phone, and the desk stops it
(status 8, with its notice): domain.md 2.2 step 7."""

from __future__ import annotations

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, act, counts, create, get

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def _ask(world, code: str, phone: str = APPLICANT["phone"], **body):
    return world.client.post(f"/api/v1/track/{code}/withdrawal", json={"phone": phone, **body})


def test_the_applicant_asks_and_the_desk_stops_the_dossier(world):
    code = create(world).get_json()["code"]
    assert act(world, code, "tn.a", "assign", assignee="cv.a").status_code == 200
    before = counts(world.app)

    asked = _ask(world, code, reason="Tôi đã làm thủ tục ở nơi khác")
    assert asked.status_code == 200, asked.get_json()
    body = asked.get_json()
    assert body["status"] == "withdrawal_requested" and body["can_withdraw"] is False
    assert body["steps"][-1]["label"] == "Công dân yêu cầu rút hồ sơ"
    after = counts(world.app)
    assert after["dossier_events"] == before["dossier_events"] + 1
    assert after["outbox"] > before["outbox"]  # the applicant is told the request arrived

    officer_view = get(world, code, "tn.a").get_json()
    assert officer_view["national_status"] == 7
    last = officer_view["history"][-1]
    assert (last["action"], last["actor"], last["note"]) == ("request_withdrawal", "Công dân",
                                                             "Tôi đã làm thủ tục ở nơi khác")
    assert last["payload"]["previous_status"] == "in_progress"
    assert "withdraw" in officer_view["allowed_actions"]

    again = _ask(world, code, reason="Gửi lại")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "invalid_transition"

    stopped = act(world, code, "tn.a", "withdraw")
    assert stopped.status_code == 200, stopped.get_json()
    assert (stopped.get_json()["status"], stopped.get_json()["national_status"]) == ("stopped", 8)


def test_bad_requests_change_nothing(world):
    code = create(world).get_json()["code"]
    before = counts(world.app)
    wrong_phone = _ask(world, code, phone="0999999999", reason="Không cần nữa")
    assert wrong_phone.status_code == 404 and wrong_phone.get_json()["error"]["code"] == "not_found"
    for body in ({}, {"reason": "   "}, {"reason": 42}, {"reason": "x" * 1001}):
        response = _ask(world, code, **body)
        assert response.status_code == 422, body
        assert "reason" in response.get_json()["error"]["fields"]
    assert counts(world.app) == before
    assert get(world, code, "tn.a").get_json()["status"] == "received"


def test_only_the_applicant_asks_and_only_before_the_result(world):
    code = create(world).get_json()["code"]
    officer = act(world, code, "tn.a", "request_withdrawal", reason="Thay công dân")
    assert officer.status_code == 403
    for username, action, arguments in (("tn.a", "assign", {"assignee": "cv.a"}),
                                        ("cv.a", "submit_for_approval", {}), ("ld.a", "approve", {})):
        assert act(world, code, username, action, **arguments).status_code == 200
    late = _ask(world, code, reason="Không cần nữa")
    assert late.status_code == 409
    assert world.client.get(f"/api/v1/track/{code}", query_string={"phone": APPLICANT["phone"]}).get_json()[
        "can_withdraw"] is False


def test_the_reception_queue_shows_the_requests(world):
    from datetime import datetime

    from core.dossiers.clock import VN_TZ
    from core.extensions import db
    from core.officer import queues

    code = create(world).get_json()["code"]
    assert _ask(world, code, reason="Không cần nữa").status_code == 200
    with world.app.test_request_context():
        unit = world.unit("xa-a")
        reception, specialist = world.user("tn.a"), world.user("cv.a")
        now = datetime.now(VN_TZ)
        assert "withdrawal" in {t.key for t in queues.tabs_for(reception, unit)}
        assert "withdrawal" not in {t.key for t in queues.tabs_for(specialist, unit)}
        counted = queues.counts(reception, unit, queues.tabs_for(reception, unit), now)
        assert counted["withdrawal"] == 1
        assert [d.code for d in queues.rows("withdrawal", reception, unit, now)] == [code]
        db.session.remove()
