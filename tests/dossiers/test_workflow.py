"""Workflow rules through the API: who may act, invalid transitions, stale versions, arguments and plugin vetoes.
Every refused request leaves the database exactly as it was."""

from __future__ import annotations

import pytest
from lifecycle_helpers import PERMIT_DATA, PLUGINS, act, counts, create, events, get

from core.dossiers import workflow

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)


def _pending_approval(world, data=None) -> str:
    code = create(world, data=data).get_json()["code"]
    assert act(world, code, "tn.a", "assign", assignee="cv.a").status_code == 200
    assert act(world, code, "cv.a", "submit_for_approval").status_code == 200
    return code


def test_only_a_leader_approves(world):
    code = _pending_approval(world)
    before = counts(world.app)
    for username in ("cv.a", "tn.a", "kt.a"):
        response = act(world, code, username, "approve")
        assert response.status_code == 403, username
        assert response.get_json()["error"]["code"] == "forbidden"
    # A leader of another commune does not even see the dossier.
    assert act(world, code, "ld.b", "approve").status_code == 404
    assert counts(world.app) == before
    assert "approve" not in get(world, code, "cv.a").get_json()["allowed_actions"]
    # refuse: the leader may also refuse with a written answer instead of approving (LAW-19).
    assert set(get(world, code, "ld.a").get_json()["allowed_actions"]) == {"approve", "send_back", "transfer",
                                                                           "apologize", "refuse"}
    assert act(world, code, "ld.a", "approve").get_json()["status"] == "result_ready"


def test_send_back_needs_a_reason_and_returns_to_the_specialist(world):
    code = _pending_approval(world)
    response = act(world, code, "ld.a", "send_back", reason="  ")
    assert response.status_code == 422 and "reason" in response.get_json()["error"]["fields"]
    body = act(world, code, "ld.a", "send_back", reason="Sai tên").get_json()
    assert (body["status"], body["step"]) == ("in_progress", "assigned")
    assert body["history"][-1]["note"] == "Sai tên"


@pytest.mark.parametrize("action,arguments", [
    ("approve", {}), ("return_result", {"received_by": "X"}), ("receive", {}), ("payment_received", {}),
    ("supplement_received", {}), ("submit_for_approval", {}), ("send_back", {"reason": "x"}),
])
def test_invalid_transition_answers_409_with_the_allowed_actions(world, action, arguments):
    code = create(world).get_json()["code"]  # received
    before = counts(world.app)
    response = act(world, code, "tn.a", action, **arguments)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "invalid_transition"
    assert set(error["allowed_actions"]) == {"refuse", "assign", "request_supplement", "transfer", "apologize",
                                             "withdraw"}
    assert counts(world.app) == before
    assert get(world, code, "tn.a").get_json()["version"] == 1


def test_allowed_actions_of_each_role_follow_the_state_machine(world):
    code = create(world).get_json()["code"]
    assert set(get(world, code, "cv.a").get_json()["allowed_actions"]) == {
        "assign", "request_supplement", "transfer", "apologize"}
    assert get(world, code, "ld.a").get_json()["allowed_actions"] == ["assign", "transfer", "apologize"]
    assert get(world, code, "kt.a").get_json()["allowed_actions"] == []  # auditors only look
    assert act(world, code, "kt.a", "assign", assignee="cv.a").status_code == 403


def test_stale_version_is_409_and_changes_nothing(world):
    code = create(world).get_json()["code"]
    assert act(world, code, "tn.a", "assign", assignee="cv.a", version=1).status_code == 200
    before = counts(world.app)
    response = act(world, code, "cv.a", "submit_for_approval", version=1)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "stale_version" and error["current_version"] == 2
    assert counts(world.app) == before
    body = get(world, code, "cv.a").get_json()
    assert (body["version"], body["step"]) == (2, "assigned")
    assert act(world, code, "cv.a", "submit_for_approval", version=2).status_code == 200


@pytest.mark.parametrize("version", ["2", 1.5, True, [1]])
def test_malformed_version_is_422(world, version):
    code = create(world).get_json()["code"]
    before = counts(world.app)
    response = act(world, code, "tn.a", "assign", assignee="cv.a", version=version)
    assert response.status_code == 422 and "version" in response.get_json()["error"]["fields"]
    assert counts(world.app) == before


def test_unknown_action_is_422_and_lists_what_is_allowed(world):
    code = create(world).get_json()["code"]
    for action in ("fly", None, 3):
        response = act(world, code, "tn.a", action)
        assert response.status_code == 422
        assert response.get_json()["error"]["code"] == "unknown_action"
        assert "assign" in response.get_json()["error"]["allowed_actions"]


@pytest.mark.parametrize("action,arguments,field", [
    ("assign", {}, "assignee"),
    ("assign", {"assignee": "nobody"}, "assignee"),
    ("assign", {"assignee": "cv.b"}, "assignee"),  # a specialist of another commune
    ("assign", {"assignee": "kt.a"}, "assignee"),  # an auditor does not handle dossiers
    ("assign", {"assignee": ["cv.a"]}, "assignee"),
    ("request_supplement", {"reason": "Thiếu"}, "missing_documents"),
    ("request_supplement", {"reason": "Thiếu", "missing_documents": []}, "missing_documents"),
    ("request_supplement", {"reason": "Thiếu", "missing_documents": "Sổ đỏ"}, "missing_documents"),
    ("request_supplement", {"missing_documents": ["Sổ đỏ"]}, "reason"),
    ("transfer", {}, "to_unit"),
    ("transfer", {"to_unit": "khong-co"}, "to_unit"),
    ("transfer", {"to_unit": "xa-a"}, "to_unit"),  # to itself
    ("apologize", {"reason": "Chậm", "new_due_at": "ngày mai"}, "new_due_at"),
    ("apologize", {"new_due_at": "2099-01-01T08:00:00+07:00"}, "reason"),
    ("refuse", {"reason": 5}, "reason"),
])
def test_bad_arguments_are_422_per_field_and_change_nothing(world, action, arguments, field):
    code = create(world).get_json()["code"]
    before = counts(world.app)
    response = act(world, code, "tn.a", action, **arguments)
    assert response.status_code == 422, response.get_json()
    fields = response.get_json()["error"]["fields"]
    assert field in fields and fields[field]  # a Vietnamese message for that field
    assert counts(world.app) == before
    assert get(world, code, "tn.a").get_json()["version"] == 1


@pytest.mark.parametrize("amount", [-1, 1.5, "100", None, True])
def test_payment_amount_must_be_a_whole_non_negative_number(world, amount):
    code = create(world).get_json()["code"]
    act(world, code, "tn.a", "assign", assignee="cv.a")
    before = counts(world.app)
    response = act(world, code, "cv.a", "request_payment", amount=amount)
    assert response.status_code == 422 and "amount" in response.get_json()["error"]["fields"]
    assert counts(world.app) == before


def test_plugin_veto_is_409_and_changes_nothing(world):
    code = _pending_approval(world, data={**PERMIT_DATA, "subject": "veto"})
    before = counts(world.app)
    response = act(world, code, "ld.a", "approve")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "lifetest_veto" and error["message"].startswith("Hồ sơ thử nghiệm")
    assert counts(world.app) == before
    assert get(world, code, "ld.a").get_json()["status"] == "in_progress"


def test_actions_need_a_login_and_json(world):
    code = create(world).get_json()["code"]
    before = counts(world.app)
    response = world.client.post(f"/api/v1/dossiers/{code}/actions", json={"action": "assign", "assignee": "cv.a"})
    assert response.status_code == 401
    response = world.client.post(f"/api/v1/dossiers/{code}/actions", data="action=assign",
                                 headers={**world.h("tn.a"), "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    response = world.client.post(f"/api/v1/dossiers/{code}/actions", data="[1, 2]",
                                 headers={**world.h("tn.a"), "Content-Type": "application/json"})
    assert response.status_code == 400
    response = world.client.post(f"/api/v1/dossiers/{code}/actions", data="{not json",
                                 headers={**world.h("tn.a"), "Content-Type": "application/json"})
    assert response.status_code == 400
    response = world.client.post("/api/v1/dossiers/KHONG-CO/actions", json={"action": "assign"},
                                 headers=world.h("tn.a"))
    assert response.status_code == 404
    assert counts(world.app) == before
    assert events(world, code) == [("receive", "", "received")]


def test_every_action_of_the_machine_is_reachable_and_labelled():
    # The state machine is closed: each action starts from known states and ends in a known state.
    for action in workflow.ACTIONS.values():
        assert set(action.sources) <= set(workflow.STATE_LABELS), action.name
        assert action.target is None or action.target in workflow.STATE_LABELS, action.name
        assert str(action.label)
    assert set(workflow.PAUSED_STATES) <= set(workflow.CLOCK_STATES)


def test_state_sets_are_defined_once_and_nest():
    """Queues, reports, papers and the admin overview use workflow's state sets; none types them again (CODE-10)."""
    import re
    from pathlib import Path

    running, paused, clock = (set(workflow.RUNNING_STATES), set(workflow.PAUSED_STATES), set(workflow.CLOCK_STATES))
    assert running | paused == clock and not running & paused
    assert clock < set(workflow.WITHDRAWABLE_STATES) < set(workflow.ON_DESK) <= set(workflow.STATE_LABELS)
    assert {"returned", "refused", "rejected", "stopped"}.isdisjoint(workflow.ON_DESK)
    typed_again = re.compile(r"""\(\s*["'](received|supplement_requested)["']\s*,"""
                             r"""\s*["'](in_progress|awaiting_payment)""")
    root = Path(__file__).resolve().parents[2] / "core"
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if path.name != "workflow.py" and typed_again.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
