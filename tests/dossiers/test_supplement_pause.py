"""The clock of a dossier under pauses (supplement, payment), apologies and completion, driven through the services
with a controlled ``now`` and checked against core.dossiers.clock."""

from __future__ import annotations

import pytest
from lifecycle_helpers import PLUGINS, act, counts, create, events, get, load, svc_act, svc_create, vn

from core.dossiers.calendar import calendar_for
from core.dossiers.clock import TimeLimit, compute_due_at
from core.dossiers.services import ServiceError

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

# Received Monday 2 March 2026 08:00; 3 working days of 450 minutes -> due Thursday 5 March 08:00.
RECEIVED = vn(2026, 3, 2, 8, 0)
DUE = vn(2026, 3, 5, 8, 0)
MISSING = {"missing_documents": ["Bản vẽ thiết kế"], "reason": "Thiếu bản vẽ"}


def _calendar(world):
    with world.app.app_context():
        return calendar_for(world.unit("xa-a"))


def _assigned(world, now=RECEIVED) -> str:
    code = svc_create(world, now)
    svc_act(world, code, "tn.a", "assign", now, assignee="cv.a")
    return code


def test_due_date_at_reception_follows_the_clock(world):
    code = svc_create(world, RECEIVED)
    dossier = load(world, code)
    assert dossier["received_at"] == RECEIVED and dossier["due_at"] == DUE
    assert DUE == compute_due_at(RECEIVED, TimeLimit(3, "working_days"), _calendar(world))


def test_supplement_pauses_and_resumes_the_clock_by_exactly_the_paused_working_time(world):
    code = _assigned(world)
    paused_at, resumed_at = vn(2026, 3, 3, 10, 0), vn(2026, 3, 9, 14, 0)
    state = svc_act(world, code, "cv.a", "request_supplement", paused_at, **MISSING)
    assert state["status"] == "supplement_requested" and state["paused_at"] == paused_at
    assert state["due_at"] == DUE  # unchanged while paused
    assert state["supplement_count"] == 1

    state = svc_act(world, code, "tn.a", "supplement_received", resumed_at)
    assert (state["status"], state["step"]) == ("in_progress", "assigned")
    assert state["paused_at"] is None
    calendar = _calendar(world)
    paused_minutes = calendar.working_minutes_between(paused_at, resumed_at)
    assert paused_minutes == 300 + 3 * 450 + 270
    assert calendar.working_minutes_between(DUE, state["due_at"]) == paused_minutes
    assert state["due_at"] == vn(2026, 3, 11, 10, 0)
    body = get(world, code, "cv.a").get_json()
    # The appointment given at reception stays apart from the new one (LAW-05).
    assert body["history"][-1]["payload"] == {"due_moved_minutes": 1920, "previous_due_at": DUE.isoformat(),
                                              "new_due_at": vn(2026, 3, 11, 10, 0).isoformat()}
    assert body["original_due_at"] == DUE.isoformat() and body["due_at"] == vn(2026, 3, 11, 10, 0).isoformat()


def test_pause_across_tet_2027_moves_the_due_date_by_working_time_only(world):
    # Tết 2027: Thursday 4 to Wednesday 10 February are days off.
    received = vn(2027, 2, 1, 8, 0)
    code = _assigned(world, received)
    due = load(world, code)["due_at"]
    assert due == vn(2027, 2, 11, 8, 0)  # Mon-Wed give 1320 minutes, the last 30 fall after Tết
    paused_at, resumed_at = vn(2027, 2, 3, 16, 0), vn(2027, 2, 11, 8, 0)
    svc_act(world, code, "cv.a", "request_supplement", paused_at, **MISSING)
    state = svc_act(world, code, "cv.a", "supplement_received", resumed_at)
    calendar = _calendar(world)
    assert calendar.working_minutes_between(paused_at, resumed_at) == 60 + 30
    assert calendar.working_minutes_between(due, state["due_at"]) == 90
    # The 90 minutes left at the pause (Wednesday's last hour, then 30 minutes) run from 11 February 08:00.
    assert state["due_at"] == vn(2027, 2, 11, 9, 30)


def test_supplement_is_allowed_once_during_processing(world):
    code = _assigned(world)
    svc_act(world, code, "cv.a", "request_supplement", vn(2026, 3, 2, 9, 0), **MISSING)
    svc_act(world, code, "cv.a", "supplement_received", vn(2026, 3, 2, 10, 0))
    body = get(world, code, "cv.a").get_json()
    assert "request_supplement" not in body["allowed_actions"]
    before = counts(world.app)
    response = act(world, code, "cv.a", "request_supplement", **MISSING)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "supplement_once"
    assert counts(world.app) == before
    with pytest.raises(ServiceError) as caught:
        svc_act(world, code, "cv.a", "request_supplement", vn(2026, 3, 2, 11, 0), **MISSING)
    assert caught.value.status == 409
    assert load(world, code)["supplement_count"] == 1


def test_supplement_requested_right_after_reception_resumes_to_received(world):
    code = svc_create(world, RECEIVED)
    svc_act(world, code, "tn.a", "request_supplement", vn(2026, 3, 2, 9, 0), **MISSING)
    state = svc_act(world, code, "tn.a", "supplement_received", vn(2026, 3, 2, 10, 0))
    assert (state["status"], state["step"]) == ("received", "")
    assert state["due_at"] == vn(2026, 3, 5, 9, 0)
    assert [e[0] for e in events(world, code)] == ["receive", "request_supplement", "supplement_received"]


def test_payment_pauses_the_clock(world):
    code = _assigned(world)
    paused_at, resumed_at = vn(2026, 3, 2, 13, 30), vn(2026, 3, 3, 13, 30)
    state = svc_act(world, code, "cv.a", "request_payment", paused_at, amount=1_500_000)
    assert state["status"] == "awaiting_payment" and state["paused_at"] == paused_at
    body = get(world, code, "cv.a").get_json()
    assert body["paused"] is True and body["national_status"] == 6
    assert set(body["allowed_actions"]) == {"payment_received", "apologize"}
    assert body["history"][-1]["payload"] == {"amount": 1_500_000}
    state = svc_act(world, code, "tn.a", "payment_received", resumed_at)
    assert state["status"] == "in_progress" and state["paused_at"] is None
    assert state["due_at"] == vn(2026, 3, 6, 8, 0)  # one working day later
    # The supplement request is still available after a payment pause.
    assert "request_supplement" in get(world, code, "cv.a").get_json()["allowed_actions"]


def test_a_pause_that_starts_after_the_due_moment_keeps_the_dossier_late(world):
    code = _assigned(world)
    svc_act(world, code, "cv.a", "request_payment", vn(2026, 3, 6, 9, 0), amount=0)
    state = svc_act(world, code, "cv.a", "payment_received", vn(2026, 3, 10, 9, 0))
    assert state["due_at"] == DUE


@pytest.mark.parametrize("approved_at,completion", [
    (vn(2026, 3, 4, 16, 59), "early"),
    (vn(2026, 3, 5, 7, 45), "on_time"),
    (vn(2026, 3, 5, 8, 0), "on_time"),
    (vn(2026, 3, 5, 8, 1), "late"),
])
def test_completion_is_classified_against_the_due_moment(world, approved_at, completion):
    code = _assigned(world)
    svc_act(world, code, "cv.a", "submit_for_approval", vn(2026, 3, 2, 9, 0))
    state = svc_act(world, code, "ld.a", "approve", approved_at)
    assert state["completion"] == completion and state["finished_at"] == approved_at


def test_apology_sets_a_new_appointment_but_the_dossier_still_counts_late(world):
    code = _assigned(world)
    new_due = vn(2026, 3, 10, 16, 0)
    state = svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 4, 9, 0), reason="Chờ xác minh",
                    new_due_at=new_due.isoformat())
    assert state["extended_due_at"] == new_due and state["due_at"] == DUE
    assert state["status"] == "in_progress"
    payload = get(world, code, "cv.a").get_json()["history"][-1]["payload"]
    assert payload["previous_due_at"] == DUE.isoformat() and payload["reason"] == "Chờ xác minh"
    svc_act(world, code, "cv.a", "submit_for_approval", vn(2026, 3, 9, 9, 0))
    state = svc_act(world, code, "ld.a", "approve", vn(2026, 3, 9, 10, 0))  # before the new date, after the old one
    assert state["completion"] == "late"


def test_apology_only_before_the_deadline(world):
    code = _assigned(world)
    before = counts(world.app)
    with pytest.raises(ServiceError) as caught:
        svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 5, 8, 1), reason="Chậm",
                new_due_at=vn(2026, 3, 12, 8, 0).isoformat())
    assert (caught.value.status, caught.value.code) == (409, "deadline_passed")
    assert counts(world.app) == before
    # At least one day before the due day (LAW-06): on the due day itself, even before the due moment, it is late.
    with pytest.raises(ServiceError) as caught:
        svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 5, 0, 0), reason="Chậm",
                new_due_at=vn(2026, 3, 12, 8, 0).isoformat())
    assert (caught.value.status, caught.value.code) == (409, "deadline_passed")
    assert counts(world.app) == before
    state = svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 4, 23, 59), reason="Chậm",
                    new_due_at="2026-03-12T08:00:00+07:00")
    assert state["extended_due_at"] == vn(2026, 3, 12, 8, 0)


@pytest.mark.parametrize("new_due_at", ["2026-03-05T08:00:00+07:00", "2026-03-04T08:00:00+07:00", "2026-03-05",
                                        "", 20260310, None, "9999-12-31T23:00:00-12:00"])
def test_apology_date_must_come_after_the_current_appointment(world, new_due_at):
    code = _assigned(world)
    before = counts(world.app)
    with pytest.raises(ServiceError) as caught:
        svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 3, 9, 0), reason="Chậm", new_due_at=new_due_at)
    assert caught.value.status == 422 and "new_due_at" in caught.value.fields
    assert counts(world.app) == before


def test_second_apology_must_move_past_the_first_new_date(world):
    code = _assigned(world)
    svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 4, 9, 0), reason="Chậm",
            new_due_at="2026-03-10T16:00:00+07:00")
    with pytest.raises(ServiceError) as caught:
        svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 9, 9, 0), reason="Chậm nữa",
                new_due_at="2026-03-09T16:00:00+07:00")
    assert caught.value.status == 422
    # After the original due moment but before the new appointment, a second apology is still in time.
    state = svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 9, 9, 0), reason="Chậm nữa",
                    new_due_at="2026-03-12T16:00:00+07:00")
    assert state["extended_due_at"] == vn(2026, 3, 12, 16, 0) and state["due_at"] == DUE


def test_naive_apology_date_is_read_as_vietnam_time(world):
    code = _assigned(world)
    state = svc_act(world, code, "cv.a", "apologize", vn(2026, 3, 4, 9, 0), reason="Chậm",
                    new_due_at="2026-03-10T16:00")
    assert state["extended_due_at"] == vn(2026, 3, 10, 16, 0)


def test_refused_and_withdrawn_dossiers_leave_no_pause_behind(world):
    code = _assigned(world)
    svc_act(world, code, "cv.a", "request_supplement", vn(2026, 3, 3, 9, 0), **MISSING)
    state = svc_act(world, code, "tn.a", "withdraw", vn(2026, 3, 3, 10, 0))
    assert state["status"] == "stopped" and state["paused_at"] is None
    assert state["finished_at"] == vn(2026, 3, 3, 10, 0)


def test_paused_dossier_through_the_api(world):
    code = create(world).get_json()["code"]
    act(world, code, "tn.a", "assign", assignee="cv.a")
    body = act(world, code, "cv.a", "request_supplement", **MISSING).get_json()
    assert body["status"] == "supplement_requested" and body["national_status"] == 5 and body["paused"] is True
    assert body["history"][-1]["payload"]["missing_documents"] == ["Bản vẽ thiết kế"]
    assert set(body["allowed_actions"]) == {"supplement_received", "apologize"}


def test_guidance_at_the_desk_does_not_use_up_the_supplement_allowed_during_processing(world):
    code = svc_create(world, RECEIVED)
    state = svc_act(world, code, "tn.a", "request_supplement", vn(2026, 3, 2, 8, 30), **MISSING)
    assert state["status"] == "supplement_requested" and state["supplement_count"] == 0
    state = svc_act(world, code, "tn.a", "supplement_received", vn(2026, 3, 2, 9, 0))
    assert state["status"] == "received"
    svc_act(world, code, "tn.a", "assign", vn(2026, 3, 2, 9, 5), assignee="cv.a")
    state = svc_act(world, code, "cv.a", "request_supplement", vn(2026, 3, 3, 9, 0), **MISSING)
    assert state["status"] == "supplement_requested" and state["supplement_count"] == 1
