"""LAW-31: the shipped HTTP SMS gateway transport (plugins/sms_http) against a local stand-in gateway."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, create
from sqlalchemy import select

from core.db_types import utcnow
from core.extensions import db
from core.notifications import deliver
from core.notifications.models import Outbox

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=PLUGINS + ("sms_http",), OUTBOX_MAX_ATTEMPTS=3)


class Gateway:
    """A stand-in SMS gateway: records each request and answers with ``status``."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                gateway.requests.append({"path": self.path, "headers": dict(self.headers),
                                         "body": json.loads(self.rfile.read(length).decode("utf-8"))})
                self.send_response(gateway.status)
                self.end_headers()
                self.wfile.write(b'{"ok": true}' if gateway.status < 300 else b'{"error": "quota"}')

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    found = Gateway()
    yield found
    found.close()


def _sms_rows(app) -> list[Outbox]:
    with app.app_context():
        rows = db.session.scalars(select(Outbox).where(Outbox.channel == "sms").order_by(Outbox.id)).all()
        db.session.expunge_all()
        return rows


def _deliver(app, later_minutes: int = 0):
    with app.app_context():
        return deliver.deliver_pending(now=utcnow() + timedelta(minutes=later_minutes))


def test_sms_are_posted_to_the_gateway(world, gateway):
    world.app.config.update(SMS_GATEWAY_URL=gateway.url, SMS_GATEWAY_TOKEN="bi-mat", SMS_GATEWAY_SENDER="UBND-XA")
    code = create(world).get_json()["code"]
    report = _deliver(world.app)
    assert report.sent >= 1 and report.dead == 0
    assert len(gateway.requests) == 1
    sent = gateway.requests[0]
    assert sent["path"] == "/api/send" and sent["headers"]["Authorization"] == "Bearer bi-mat"
    assert sent["body"]["to"] == APPLICANT["phone"] and sent["body"]["from"] == "UBND-XA"
    assert code in sent["body"]["text"] and "đã được tiếp nhận" in sent["body"]["text"]
    assert [row.status for row in _sms_rows(world.app)] == ["sent"]


def test_a_refusing_gateway_is_retried_then_kept(world, gateway):
    world.app.config.update(SMS_GATEWAY_URL=gateway.url, OUTBOX_BACKOFF_SECONDS=60)
    gateway.status = 503
    create(world)
    _deliver(world.app)
    row = _sms_rows(world.app)[0]
    assert row.status == "pending" and row.attempts == 1 and "HTTP 503" in row.last_error
    gateway.status = 200
    _deliver(world.app, later_minutes=2)
    assert _sms_rows(world.app)[0].status == "sent" and len(gateway.requests) == 2
    gateway.status = 500
    create(world)
    for minutes in (0, 5, 15):
        _deliver(world.app, later_minutes=minutes)
    kept = _sms_rows(world.app)[1]
    assert kept.status == "dead" and kept.attempts == 3 and "HTTP 500" in kept.last_error


def test_a_bad_gateway_url_is_an_error_and_no_url_logs_only(world, gateway):
    world.app.config.update(SMS_GATEWAY_URL="ftp://127.0.0.1/send")
    create(world)
    _deliver(world.app)
    assert "http(s)" in _sms_rows(world.app)[0].last_error
    world.app.config.update(SMS_GATEWAY_URL="")
    create(world)
    _deliver(world.app)
    assert _sms_rows(world.app)[1].status == "sent" and gateway.requests == []  # written to the log only
