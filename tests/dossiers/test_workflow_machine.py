"""The state machine driven at random through the service layer (hypothesis.stateful, CODE-19).

Any officer of the test district tries any action, with arguments that are valid for it. Two properties hold at every
step: ``allowed_actions`` agrees with ``perform_action`` (an action not offered is refused and changes nothing; an
offered one is never refused for its state or the officer's role), and the clock fields are consistent with the state.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from lifecycle_helpers import OFFICERS, PLUGINS, load, svc_create, vn

from core.dossiers import workflow

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS)

ASSIGNEES = {"xa-a": "cv.a", "xa-b": "cv.b", "xa-c": "cv.c", "vp-dat": "cv.o"}
OFFICER_NAMES = sorted(OFFICERS)
ACTION_NAMES = sorted(n for n, a in workflow.ACTIONS.items() if "citizen" not in a.roles)
FINISHED = ("refused", "rejected", "stopped", "result_ready", "returned")


def _arguments(action: str, dossier: dict, now) -> dict:
    """Arguments that are valid for ``action`` whatever the state: refusals must come from the state or the role."""
    from core.extensions import db
    from core.tenancy.models import Unit

    competent = db.session.get(Unit, dossier["competent_unit_id"]).slug
    appointment = dossier["extended_due_at"] or dossier["due_at"] or now
    return {"refuse": {"reason": "Thiếu điều kiện"}, "send_back": {"reason": "Sửa lại"},
            "assign": {"assignee": ASSIGNEES[competent]},
            "request_supplement": {"reason": "Thiếu giấy tờ", "missing_documents": ["Đơn đề nghị"]},
            "request_payment": {"amount": 50000}, "transfer": {"to_unit": "vp-dat"},
            "record_step": {"step": "site_visit"}, "return_result": {"received_by": "Nguyễn Văn An"},
            "apologize": {"reason": "Chậm khảo sát", "new_due_at": (appointment + timedelta(days=10)).isoformat()},
            }.get(action, {})


def _machine(world):
    from sqlalchemy import select

    from core.dossiers import services
    from core.dossiers.models import Dossier
    from core.extensions import db

    class DossierMachine(RuleBasedStateMachine):
        @initialize(channel=st.sampled_from(["online", "counter"]))
        def new_dossier(self, channel):
            self.now = vn(2026, 3, 2, 8)
            self.code = svc_create(world, self.now, username=None if channel == "online" else "tn.a", channel=channel)

        @rule(username=st.sampled_from(OFFICER_NAMES), action=st.sampled_from(ACTION_NAMES),
              hours=st.integers(min_value=1, max_value=30))
        def try_any_action(self, username, action, hours):
            self._try(username, lambda offered: action, hours)

        @rule(username=st.sampled_from(OFFICER_NAMES), data=st.data(), hours=st.integers(min_value=1, max_value=30))
        def take_an_offered_action(self, username, data, hours):
            # Most random pairs are refused; this rule walks the machine forward through what the pages offer
            # (the endings, refusal and withdrawal, are left to the random rule so that walks reach the result).
            def forward(offered):
                onward = [a for a in offered if a not in ("refuse", "withdraw")]
                return data.draw(st.sampled_from(onward)) if onward else None

            self._try(username, forward, hours)

        def _try(self, username, choose, hours):
            self.now += timedelta(hours=hours)
            with world.app.test_request_context():
                user = world.user(username)
                dossier = db.session.scalar(select(Dossier).where(Dossier.code == self.code))
                allowed = services.allowed_actions(user, dossier)
                action = choose(allowed)
                if action is None:
                    return
                offered = action in allowed
                before = load(world, self.code)
                arguments = _arguments(action, before, self.now)
                try:
                    services.perform_action(user, dossier, action, arguments, now=self.now)
                except services.ServiceError as exc:
                    db.session.rollback()
                    if offered:
                        assert exc.code not in ("invalid_transition", "forbidden"), (action, username, before)
                    assert load(world, self.code) == before, "a refused action changed the dossier"
                    return
            assert offered, f"{action} by {username} was done though not offered in {before['status']}"

        @invariant()
        def clock_fields_match_the_state(self):
            d = load(world, self.code)
            status = d["status"]
            assert (d["received_at"] is None) == (d["due_at"] is None), d
            if status in workflow.RUNNING_STATES:
                assert d["received_at"] is not None and d["paused_at"] is None, d
            if d["paused_at"] is not None:
                assert status in workflow.PAUSED_STATES and d["received_at"] is not None, d
            if status in FINISHED:
                assert d["finished_at"] is not None and d["paused_at"] is None, d
            if status in (*workflow.ON_DESK,) and status != "result_ready":
                assert d["finished_at"] is None, d

    return DossierMachine


def test_allowed_actions_agree_with_perform_action_and_the_clock_stays_consistent(world):
    run_state_machine_as_test(_machine(world), settings=settings(
        max_examples=20, stateful_step_count=25, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
