"""The whole life of a dossier through the HTTP API: counter reception to return, online submission to reception,
refusal, withdrawal, and what each step writes (one history event, outbox rows for the citizen)."""

from __future__ import annotations

from datetime import datetime

import pytest
from lifecycle_helpers import APPLICANT, BIRTH, PERMIT, PLUGINS, act, counts, create, events, get, outbox_kinds

from core.dossiers.calendar import calendar_for
from core.dossiers.clock import TimeLimit, compute_due_at

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def _expected_due(world, received_at: str, days: float = 3) -> datetime:
    with world.app.app_context():
        calendar = calendar_for(world.unit("xa-a"))
    return compute_due_at(datetime.fromisoformat(received_at), TimeLimit(days, "working_days"), calendar)


def test_counter_reception_to_return(world):
    before = counts(world.app)
    response = create(world)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    code = body["code"]
    assert code.startswith("TEST.XA-A-") and code.endswith("-0001")
    assert body["status"] == "received" and body["national_status"] == 2
    assert body["receiving_unit"] == "xa-a" and body["competent_unit"] == "xa-a"
    assert body["procedure"] == PERMIT and body["procedure_version"] == "1" and body["channel"] == "counter"
    assert body["fee"] == 50000 and body["version"] == 1
    assert body["applicant"]["id_number"] == APPLICANT["id_number"]
    assert body["data"] == {"subject": "Xin phép sửa nhà", "area": 40}
    assert datetime.fromisoformat(body["due_at"]) == _expected_due(world, body["received_at"])
    assert body["history"][0]["action"] == "receive" and body["history"][0]["to"] == "received"
    assert set(body["allowed_actions"]) >= {"refuse", "assign", "request_supplement", "withdraw"}
    assert "approve" not in body["allowed_actions"]
    after = counts(world.app)
    assert after["dossiers"] == before["dossiers"] + 1
    assert after["dossier_events"] == before["dossier_events"] + 1
    assert after["outbox"] == before["outbox"] + 2  # SMS and e-mail

    steps = [
        ("tn.a", "assign", {"assignee": "cv.a"}, "in_progress", "assigned"),
        ("cv.a", "submit_for_approval", {}, "in_progress", "pending_approval"),
        ("ld.a", "approve", {}, "result_ready", None),
        ("tn.a", "return_result", {"received_by": "Nguyễn Văn An"}, "returned", None),
    ]
    version = body["version"]
    for username, action, arguments, status, step in steps:
        response = act(world, code, username, action, version=version, **arguments)
        assert response.status_code == 200, (action, response.get_json())
        body = response.get_json()
        assert (body["status"], body["step"]) == (status, step), action
        assert body["version"] == version + 1, action
        version = body["version"]
    assert body["national_status"] == 10
    assert body["completion"] == "early"  # approved the same day, due three working days later
    assert body["finished_at"] is not None and body["returned_at"] is not None
    assert body["assignee"] == "cv.a"
    assert body["allowed_actions"] == []
    assert body["data"]["approved_by_plugin"] is True  # on_dossier_event of the field plugin applied by core
    assert [(h["action"], h["from"], h["to"]) for h in body["history"]] == [
        ("receive", None, "received"), ("assign", "received", "in_progress"),
        ("submit_for_approval", "in_progress", "in_progress"), ("approve", "in_progress", "result_ready"),
        ("return_result", "result_ready", "returned"),
    ]
    assert body["history"][-1]["payload"] == {"received_by": "Nguyễn Văn An"}
    assert [h["actor"] for h in body["history"]] == ["Tn A", "Tn A", "Cv A", "Ld A", "Tn A"]
    # Citizen-facing steps only: reception, result ready, returned (SMS + e-mail each).
    assert outbox_kinds(world, code) == [(k, c) for k in ("receive", "approve", "return_result")
                                         for c in ("sms", "email")]


def test_each_action_appends_exactly_one_event_and_notifies_only_the_citizen_facing_ones(world):
    code = create(world).get_json()["code"]
    plan = [("tn.a", "assign", {"assignee": "cv.a"}, False),
            ("cv.a", "request_payment", {"amount": 120000}, True),
            ("tn.a", "payment_received", {}, False),
            ("cv.a", "submit_for_approval", {}, False),
            ("ld.a", "send_back", {"reason": "Thiếu chữ ký"}, False),
            ("cv.a", "submit_for_approval", {}, False),
            ("ld.a", "approve", {}, True),
            ("tn.a", "return_result", {"received_by": "Chủ hồ sơ"}, True)]
    for username, action, arguments, citizen_facing in plan:
        before = counts(world.app)
        response = act(world, code, username, action, **arguments)
        assert response.status_code == 200, (action, response.get_json())
        after = counts(world.app)
        assert after["dossier_events"] - before["dossier_events"] == 1, action
        assert after["outbox"] - before["outbox"] == (2 if citizen_facing else 0), action
        assert events(world, code)[-1][0] == action


def test_applicant_without_email_gets_sms_only(world):
    applicant = {k: v for k, v in APPLICANT.items() if k != "email"}
    code = create(world, applicant=applicant).get_json()["code"]
    assert outbox_kinds(world, code) == [("receive", "sms")]


def test_online_submission_without_login_then_reception_sets_the_due_date(world):
    before = counts(world.app)
    response = create(world, username=None, channel="online")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    code = body["code"]
    assert body["status"] == "submitted" and body["national_status"] == 1
    # The anonymous citizen gets the code and what happens next, not the officers' view.
    assert "applicant" not in body and "history" not in body and "due_at" not in body
    assert counts(world.app)["dossiers"] == before["dossiers"] + 1
    assert outbox_kinds(world, code) == [("submit", "sms"), ("submit", "email")]

    officer_view = get(world, code, "tn.a").get_json()
    assert officer_view["received_at"] is None and officer_view["due_at"] is None
    assert "receive" in officer_view["allowed_actions"]
    listed = world.client.get("/api/v1/units/xa-a/dossiers?status=submitted", headers=world.h("tn.a")).get_json()
    assert [d["code"] for d in listed["dossiers"]] == [code]

    # A specialist may not receive: reception only.
    assert act(world, code, "cv.a", "receive").status_code == 403
    response = act(world, code, "tn.a", "receive")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "received"
    assert datetime.fromisoformat(body["due_at"]) == _expected_due(world, body["received_at"])
    assert [e[0] for e in events(world, code)] == ["submit", "receive"]


def test_online_submission_can_be_sent_back_for_completion_at_reception(world):
    code = create(world, username=None, channel="online").get_json()["code"]
    response = act(world, code, "tn.a", "request_supplement", missing_documents=["Bản vẽ"], reason="Thiếu bản vẽ")
    assert response.status_code == 200
    assert response.get_json()["paused"] is False  # the clock has not started
    response = act(world, code, "tn.a", "supplement_received")
    assert response.get_json()["status"] == "submitted"
    assert response.get_json()["due_at"] is None
    # One guidance at reception (LAW-03): a second one is refused and changes nothing ...
    assert "request_supplement" not in response.get_json()["allowed_actions"]
    before = counts(world.app)
    again = act(world, code, "tn.a", "request_supplement", missing_documents=["Bản vẽ"], reason="Lại thiếu")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "supplement_once"
    assert counts(world.app) == before
    # ... but it does not use up the one supplement request of processing.
    assert act(world, code, "tn.a", "receive").status_code == 200
    assert act(world, code, "tn.a", "assign", assignee="cv.a").status_code == 200
    assert "request_supplement" in get(world, code, "cv.a").get_json()["allowed_actions"]


def test_refusal_at_reception(world):
    code = create(world, username=None, channel="online").get_json()["code"]
    before = counts(world.app)
    response = act(world, code, "tn.a", "refuse")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"reason": "Trường này là bắt buộc."}
    assert counts(world.app) == before
    response = act(world, code, "tn.a", "refuse", reason="Không thuộc thẩm quyền")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "refused" and body["national_status"] == 3
    assert body["finished_at"] is not None and body["allowed_actions"] == []
    assert body["history"][-1]["note"] == "Không thuộc thẩm quyền"
    assert outbox_kinds(world, code)[-2:] == [("refuse", "sms"), ("refuse", "email")]
    response = act(world, code, "tn.a", "receive")
    assert response.status_code == 409


ASSIGN = ("tn.a", "assign", {"assignee": "cv.a"})
SUPPLEMENT = ("cv.a", "request_supplement", {"missing_documents": ["Sổ đỏ"], "reason": "Thiếu"})


@pytest.mark.parametrize("setup", [[], [ASSIGN], [ASSIGN, SUPPLEMENT]])
def test_withdrawal_stops_processing(world, setup):
    code = create(world).get_json()["code"]
    for username, action, arguments in setup:
        assert act(world, code, username, action, **arguments).status_code == 200
    # Reception of the receiving unit records the citizen's withdrawal request; a specialist may not.
    assert act(world, code, "cv.a", "withdraw").status_code == 403
    response = act(world, code, "tn.a", "withdraw", note="Công dân xin rút hồ sơ")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "stopped" and body["national_status"] == 8
    assert body["paused"] is False and body["finished_at"] is not None and body["allowed_actions"] == []
    assert outbox_kinds(world, code)[-1] == ("withdraw", "email")
    assert act(world, code, "tn.a", "withdraw").status_code == 409


def test_counter_reception_of_a_same_day_procedure(world):
    data = {"child_full_name": "Nguyễn Văn Bé", "child_sex": "male", "child_birth_date": "2020-01-01",
            "birth_place": "Trạm y tế xã A", "mother_full_name": "Trần Thị Mẹ"}
    response = create(world, procedure=BIRTH, data=data)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["procedure"] == BIRTH
    # Birth registration is far beyond 60 days: the rule warns, the officer sees why a fee is due.
    assert [w["code"] for w in body["warnings"]] == ["late_birth_registration"]
    due = datetime.fromisoformat(body["due_at"])
    with world.app.app_context():
        calendar = calendar_for(world.unit("xa-a"))
    assert due == compute_due_at(datetime.fromisoformat(body["received_at"]), TimeLimit(0, "same_day"), calendar)


def test_every_action_appends_one_event_and_notifies_exactly_when_citizen_facing(world):
    from core.dossiers import workflow

    online = create(world, username=None, channel="online").get_json()["code"]
    counter = create(world).get_json()["code"]
    other = create(world).get_json()["code"]
    plan = [
        (online, "tn.a", "receive", {}),
        (online, "tn.a", "assign", {"assignee": "cv.a"}),
        (online, "cv.a", "record_step", {"step": "site_visit"}),
        (online, "cv.a", "request_supplement", {"missing_documents": ["Bản vẽ"], "reason": "Thiếu"}),
        (online, "tn.a", "supplement_received", {}),
        (online, "cv.a", "request_payment", {"amount": 100000}),
        (online, "cv.a", "payment_received", {}),
        (online, "cv.a", "apologize", {"reason": "Chờ xác minh", "new_due_at": "2099-01-01T08:00:00+07:00"}),
        (online, "cv.a", "transfer", {"to_unit": "vp-dat"}),
        (online, "ld.o", "assign", {"assignee": "cv.o"}),
        (online, "cv.o", "submit_for_approval", {}),
        (online, "ld.o", "send_back", {"reason": "Sai sót"}),
        (online, "cv.o", "submit_for_approval", {}),
        (online, "ld.o", "approve", {}),
        (online, "tn.a", "return_result", {"received_by": "Chủ hồ sơ"}),
        (counter, "tn.a", "refuse", {"reason": "Không đủ điều kiện"}),
        (other, None, "request_withdrawal", {"reason": "Không cần nữa"}),  # the applicant, with code and phone
        (other, "tn.a", "withdraw", {}),
    ]
    done = set()
    for code, username, action, arguments in plan:
        before = counts(world.app)
        if username is None:
            response = world.client.post(f"/api/v1/track/{code}/withdrawal",
                                         json={"phone": APPLICANT["phone"], **arguments})
        else:
            response = act(world, code, username, action, **arguments)
        assert response.status_code == 200, (action, response.get_json())
        after = counts(world.app)
        assert after["dossier_events"] - before["dossier_events"] == 1, action
        citizen_facing = workflow.ACTIONS[action].citizen_facing
        assert after["outbox"] - before["outbox"] == (2 if citizen_facing else 0), action
        assert get(world, code, "tn.a").get_json()["history"][-1]["action"] == action
        done.add(action)
    assert done == set(workflow.ACTIONS)


def test_record_step_accepts_only_the_procedures_steps(world):
    code = create(world).get_json()["code"]
    act(world, code, "tn.a", "assign", assignee="cv.a")
    before = counts(world.app)
    response = act(world, code, "cv.a", "record_step", step="niem_yet")
    assert response.status_code == 422 and "step" in response.get_json()["error"]["fields"]
    assert counts(world.app) == before
    body = act(world, code, "cv.a", "record_step", step="site_visit", note="Đã khảo sát").get_json()
    assert body["history"][-1]["payload"] == {"step": "site_visit"}
    assert (body["status"], body["step"]) == ("in_progress", "assigned")
