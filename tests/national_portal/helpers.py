"""Shared by the national portal tests."""

from __future__ import annotations

import json
import urllib.request
from datetime import timedelta

PERMIT = "lifetest.permit"
PERMIT_DATA = {"subject": "Xin phép sửa nhà", "area": 40}
# Short connector timeout so the simulator's "timeout" mode (a longer sleep) really times the request out.
SYNC_CONFIG = {"NATIONAL_PORTAL_TOKEN": "portal-token", "NATIONAL_PORTAL_AGENCY_CODE": "000.00.00.H27",
               "NATIONAL_PORTAL_TIMEOUT": "0.5", "OUTBOX_BACKOFF_SECONDS": 60, "OUTBOX_MAX_ATTEMPTS": 5,
               "INSTALLED_PLUGINS": ("civil_status", "lifetest")}


def simulator_call(simulator, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(simulator.url.rstrip("/") + path, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def set_mode(simulator, mode: str, delay: float | None = None) -> None:
    simulator_call(simulator, "/_simulator/mode", {"mode": mode, **({"delay": delay} if delay else {})})


def records(simulator) -> list[dict]:
    return [r["payload"] for r in simulator_call(simulator, "/_simulator/records")["records"]]


def deliver(app, later: timedelta = timedelta(0)):
    """One pass of the outbox worker, ``later`` after now (to reach rows waiting for their retry)."""
    from core.db_types import utcnow
    from core.notifications import deliver as delivery

    with app.app_context():
        return delivery.deliver_pending(now=utcnow() + later)


def portal_rows(app, code: str) -> list[dict]:
    from sqlalchemy import select

    from core.extensions import db
    from core.notifications.models import Outbox

    with app.app_context():
        return [{"status": r.status, "attempts": r.attempts, "error": r.last_error, "national": int(r.subject)}
                for r in db.session.scalars(select(Outbox).where(Outbox.channel == "national_portal",
                                                                 Outbox.recipient == code).order_by(Outbox.id))]
