"""Helpers shared by the lifecycle tests: the test district, payloads, row counts and service calls with a clock."""

from __future__ import annotations

from datetime import datetime

from core.testing import World as BaseWorld
from core.testing import vn_time

PLUGINS = ("civil_status", "lifetest")
PERMIT = "lifetest.permit"
BIRTH = "civil_status.birth_registration"

APPLICANT = {"full_name": "Nguyễn Văn An", "id_number": "001203004005", "phone": "0912345678",
             "address": "Thôn Đông, xã A", "email": "an@example.vn"}
PERMIT_DATA = {"subject": "Xin phép sửa nhà", "area": 40}

# username -> (role, unit slug)
OFFICERS = {
    "tn.a": ("reception", "xa-a"), "cv.a": ("specialist", "xa-a"), "ld.a": ("leader", "xa-a"),
    "kt.a": ("auditor", "xa-a"),
    "tn.b": ("reception", "xa-b"), "cv.b": ("specialist", "xa-b"), "ld.b": ("leader", "xa-b"),
    "tn.c": ("reception", "xa-c"), "cv.c": ("specialist", "xa-c"),
    "cv.o": ("specialist", "vp-dat"), "ld.o": ("leader", "vp-dat"), "tn.o": ("reception", "vp-dat"),
}

COUNTED = ("dossiers", "dossier_events", "outbox", "dossier_counters", "attachments", "ratings")


vn = vn_time


World = BaseWorld


def build_world(app, client, factory) -> World:
    """District ``huyen`` with communes xa-a, xa-b, xa-c and the land office vp-dat, every one offering both
    test procedures, and the officers of OFFICERS (password: the factory's test password)."""
    factory.district("huyen", agency_code="TEST.HUYEN")
    for slug in ("xa-a", "xa-b", "xa-c"):
        factory.commune(slug, parent="huyen", plugins=PLUGINS)
    factory.unit("vp-dat", kind="office", parent="huyen", plugins=PLUGINS, name="Văn phòng đăng ký đất đai")
    for username, role in OFFICERS.items():
        factory.user(username, role)
    return World(app, client, factory)


def counts(app) -> dict[str, int]:
    """Row counts of every table a dossier change can touch."""
    from sqlalchemy import text

    from core.extensions import db

    with app.app_context():
        return {name: db.session.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar() for name in COUNTED}


def create(world: World, unit: str = "xa-a", username: str | None = "tn.a", procedure: str = PERMIT,
           channel: str = "counter", applicant: dict | None = None, data: dict | None = None):
    """POST a dossier through the API; returns the response."""
    headers = world.h(username) if username else {}
    body = {"procedure": procedure, "channel": channel, "applicant": applicant or dict(APPLICANT),
            "data": PERMIT_DATA if data is None else data}
    return world.client.post(f"/api/v1/units/{unit}/dossiers", json=body, headers=headers)


def act(world: World, code: str, username: str, action: str, **arguments):
    return world.client.post(f"/api/v1/dossiers/{code}/actions", json={"action": action, **arguments},
                             headers=world.h(username))


def get(world: World, code: str, username: str):
    return world.client.get(f"/api/v1/dossiers/{code}", headers=world.h(username))


def svc_create(world: World, now: datetime, unit: str = "xa-a", username: str | None = "tn.a",
               channel: str = "counter", procedure: str = PERMIT, data: dict | None = None) -> str:
    """Create a dossier through the service with a controlled clock; returns its code."""
    from core.dossiers import services

    # A request context: messages are translated with the request's locale (core's selector needs a request).
    with world.app.test_request_context():
        actor = world.user(username) if username else None
        outcome = services.create_dossier(world.unit(unit), procedure, channel, dict(APPLICANT),
                                          dict(PERMIT_DATA if data is None else data), actor, now=now)
        return outcome.dossier.code


def svc_act(world: World, code: str, username: str, action: str, now: datetime, version: int | None = None,
            **arguments) -> dict:
    """Apply an action through the service with a controlled clock; returns a snapshot of the dossier."""
    from sqlalchemy import select

    from core.dossiers import services
    from core.dossiers.models import Dossier
    from core.extensions import db

    with world.app.test_request_context():
        dossier = db.session.scalar(select(Dossier).where(Dossier.code == code))
        dossier = services.perform_action(world.user(username), dossier, action, arguments, version, now=now)
        return snapshot(dossier)


def snapshot(dossier) -> dict:
    return {name: getattr(dossier, name) for name in (
        "code", "status", "step", "due_at", "extended_due_at", "paused_at", "received_at", "finished_at",
        "returned_at", "completion", "version", "supplement_count", "competent_unit_id", "receiving_unit_id")}


def load(world: World, code: str) -> dict:
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db

    with world.app.app_context():
        return snapshot(db.session.scalar(select(Dossier).where(Dossier.code == code)))


def events(world: World, code: str) -> list[tuple[str, str, str]]:
    """(action, from_status, to_status) of the dossier's history, oldest first."""
    from sqlalchemy import select

    from core.dossiers.models import Dossier, DossierEvent
    from core.extensions import db

    with world.app.app_context():
        dossier_id = db.session.scalar(select(Dossier.id).where(Dossier.code == code))
        rows = db.session.scalars(select(DossierEvent).where(DossierEvent.dossier_id == dossier_id)
                                  .order_by(DossierEvent.id)).all()
        return [(e.action, e.from_status, e.to_status) for e in rows]


def outbox_kinds(world: World, code: str) -> list[tuple[str, str]]:
    """(kind, channel) of the dossier's outbox rows, oldest first."""
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db
    from core.notifications.models import Outbox

    with world.app.app_context():
        dossier_id = db.session.scalar(select(Dossier.id).where(Dossier.code == code))
        rows = db.session.scalars(select(Outbox).where(Outbox.dossier_id == dossier_id).order_by(Outbox.id)).all()
        return [(o.kind, o.channel) for o in rows]
