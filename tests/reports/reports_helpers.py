"""Helpers of the report tests: a small province, dossiers made through the services with controlled clocks."""

from __future__ import annotations

from datetime import datetime

from core.testing import World as BaseWorld
from core.testing import vn_time

PLUGINS = ("reportprobe",)
PERMIT = "reportprobe.permit"  # "Xây dựng", 3 working days
NOTICE = "reportprobe.notice"  # "Văn hóa", 1 working day

APPLICANT = {"full_name": "Trần Thị Bình", "id_number": "001203004005", "phone": "0912345678",
             "address": "Thôn Đông", "email": ""}

# username -> (role, unit slug)
OFFICERS = {
    "tn.a": ("reception", "xa-a"), "cv.a": ("specialist", "xa-a"), "ld.a": ("leader", "xa-a"),
    "tn.b": ("reception", "xa-b"), "cv.b": ("specialist", "xa-b"), "ld.b": ("leader", "xa-b"),
    "tn.c": ("reception", "xa-c"), "cv.c": ("specialist", "xa-c"), "ld.c": ("leader", "xa-c"),
    "tn.o": ("reception", "vp-dat"), "cv.o": ("specialist", "vp-dat"), "ld.o": ("leader", "vp-dat"),
    "admin.huyen": ("district_admin", "huyen"), "kt.tinh": ("auditor", "tinh"),
}
LETTER = {"xa-a": "a", "xa-b": "b", "xa-c": "c", "vp-dat": "o"}


vn = vn_time


class World(BaseWorld):

    # --- dossiers through the services ---------------------------------------------------------------------------

    def create(self, now: datetime, unit: str = "xa-a", channel: str = "counter", procedure: str = PERMIT,
               subject: str = "Hồ sơ thử") -> str:
        """Receive (counter, postal) or submit (online) a dossier at ``now``; returns its code."""
        from core.dossiers import services

        with self.app.test_request_context():  # the services translate texts (a citizen's name on the history)
            actor = None if channel == "online" else self.user(f"tn.{LETTER[unit]}")
            outcome = services.create_dossier(self.unit(unit), procedure, channel, dict(APPLICANT),
                                              {"subject": subject}, actor, now=now)
            return outcome.dossier.code

    def act(self, code: str, username: str, action: str, now: datetime, **arguments) -> dict:
        from sqlalchemy import select

        from core.dossiers import services
        from core.dossiers.models import Dossier
        from core.extensions import db

        with self.app.test_request_context():
            dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
            dossier = services.perform_action(self.user(username), dossier, action, arguments, now=now)
            return self._snapshot(dossier)

    def receive(self, now: datetime, unit: str = "xa-a", channel: str = "counter", procedure: str = PERMIT,
                received: datetime | None = None, subject: str = "Hồ sơ thử") -> str:
        """A received dossier: online ones are submitted at ``now`` and received at ``received`` (default ``now``);
        a subject "@<slug>" routes it at reception to that unit (see the probe plugin)."""
        code = self.create(now, unit, channel, procedure, subject)
        if channel == "online":
            self.act(code, f"tn.{LETTER[unit]}", "receive", received or now)
        return code

    def resolve(self, code: str, approved: datetime, unit: str = "xa-a", assigned: datetime | None = None) -> dict:
        """Assign, submit and approve at ``approved`` (assign and submit a minute before unless given)."""
        letter = LETTER[unit]
        start = assigned or approved.replace(second=0) - _minute()
        self.act(code, f"cv.{letter}", "assign", start, assignee=f"cv.{letter}")
        self.act(code, f"cv.{letter}", "submit_for_approval", start)
        return self.act(code, f"ld.{letter}", "approve", approved)

    def load(self, code: str) -> dict:
        from sqlalchemy import select

        from core.dossiers.models import Dossier
        from core.extensions import db

        with self.app.app_context():
            return self._snapshot(db.session.scalar(select(Dossier).where(Dossier.code == code)))

    @staticmethod
    def _snapshot(d) -> dict:
        return {name: getattr(d, name) for name in (
            "code", "status", "step", "due_at", "extended_due_at", "paused_at", "received_at", "finished_at",
            "completion", "competent_unit_id", "receiving_unit_id")}

    # --- reports -------------------------------------------------------------------------------------------------

    def summary(self, unit: str, start: str, end: str, by: str | None = None, username: str = "kt.tinh"):
        query = f"/api/v1/reports/summary?unit={unit}&from={start}&to={end}" + (f"&by={by}" if by else "")
        return self.client.get(query, headers=self.h(username))

    def figures(self, unit: str, start: str, end: str, by: str | None = None) -> dict:
        response = self.summary(unit, start, end, by)
        assert response.status_code == 200, response.get_json()
        return response.get_json()


def _minute():
    from datetime import timedelta

    return timedelta(minutes=1)


def build_world(app, client, factory) -> World:
    """Province ``tinh`` > district ``huyen`` (communes xa-a, xa-b, land office vp-dat) and district ``huyen-2``
    (commune xa-c); every unit offers the probe procedures; the officers of OFFICERS."""
    factory.unit("tinh", kind="province", plugins=(), name="Tỉnh Thử")
    factory.unit("huyen", kind="district", parent="tinh", plugins=(), name="Huyện Thử", code="001")
    factory.unit("huyen-2", kind="district", parent="tinh", plugins=(), name="Huyện Hai", code="002")
    factory.commune("xa-a", parent="huyen", plugins=PLUGINS, name="Xã A", code="00001")
    factory.commune("xa-b", parent="huyen", plugins=PLUGINS, name="Xã B", code="00002")
    factory.unit("vp-dat", kind="office", parent="huyen", plugins=PLUGINS, name="Văn phòng đăng ký đất đai",
                 code="00009")
    factory.commune("xa-c", parent="huyen-2", plugins=PLUGINS, name="Xã C", code="00003")
    for username, role in OFFICERS.items():
        factory.user(username, role)
    return World(app, client, factory)


def flat(body: dict) -> dict:
    """A summary body (or row) as {"received.online": n, …, "refused": n, "on_time_rate": x}."""
    result = {}
    for key, value in body.items():
        if isinstance(value, dict) and key in ("received", "resolved", "in_progress"):
            for sub, n in value.items():
                result[f"{key}.{sub}"] = n
        elif key in ("refused", "stopped", "awaiting_supplement", "transferred_in", "transferred_out", "on_time_rate",
                     "online_rate"):
            result[key] = value
    return result
