"""Delivering notifications: retries with exponential backoff, dead rows kept and listed, leases between workers,
the worker's stop on SIGTERM/Ctrl-C, transports from plugins, and e-mail over SMTP."""

from __future__ import annotations

import base64
import signal
import socketserver
import threading
from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from lifecycle_helpers import APPLICANT, PLUGINS, create, svc_create, vn
from sqlalchemy import func, select

from core.extensions import db
from core.notifications import deliver
from core.notifications.models import Outbox
from core.notifications.transports import email_transport

WITH_FAKE = PLUGINS + ("fakesend",)
BACKOFF = {"OUTBOX_BACKOFF_SECONDS": 60, "OUTBOX_BACKOFF_MAX_SECONDS": 3600, "OUTBOX_MAX_ATTEMPTS": 4}
T0 = vn(2026, 3, 2, 9, 0)
PHONE = APPLICANT["phone"]

pytestmark = pytest.mark.app_config(INSTALLED_PLUGINS=WITH_FAKE, **BACKOFF)


def _rows(app) -> list[dict]:
    with app.app_context():
        return [{"id": r.id, "channel": r.channel, "status": r.status, "attempts": r.attempts, "dead": r.dead,
                 "next": r.next_attempt_at, "sent_at": r.sent_at, "error": r.last_error, "kind": r.kind}
                for r in db.session.scalars(select(Outbox).order_by(Outbox.id))]


def _sms(app) -> dict:
    return next(r for r in _rows(app) if r["channel"] == "sms")


def _pass(app, now):
    with app.app_context():
        return deliver.deliver_pending(now=now)


def test_plugins_transport_replaces_cores_and_core_keeps_email(world, fakesend):
    registry = world.app.extensions["motcua"].transports
    assert registry["sms"] is fakesend.send_sms
    assert registry["email"] is email_transport


def test_a_transport_that_fails_twice_then_succeeds(world, fakesend):
    svc_create(world, T0)
    fakesend.FAIL_TIMES[PHONE] = 2
    report = _pass(world.app, T0)
    assert (report.sent, report.retrying, report.dead) == (1, 1, 0)  # the e-mail went to the log, the SMS failed
    sms = _sms(world.app)
    assert (sms["status"], sms["attempts"]) == ("pending", 1)
    assert sms["error"] == f"ConnectionError: gateway refused {PHONE}"
    assert sms["next"] == T0 + timedelta(seconds=60)

    assert _pass(world.app, T0 + timedelta(seconds=59)).attempted == 0  # not due yet
    assert _sms(world.app)["attempts"] == 1

    second = T0 + timedelta(seconds=60)
    assert _pass(world.app, second).retrying == 1
    sms = _sms(world.app)
    assert sms["attempts"] == 2 and sms["next"] == second + timedelta(seconds=120)  # doubled

    assert _pass(world.app, second + timedelta(seconds=119)).attempted == 0
    third = second + timedelta(seconds=120)
    assert _pass(world.app, third).sent == 1
    sms = _sms(world.app)
    assert (sms["status"], sms["attempts"], sms["sent_at"], sms["next"]) == ("sent", 3, third, None)
    assert len(fakesend.CALLS) == 3 and len(fakesend.SENT) == 1
    recipient, subject, body = fakesend.SENT[0]
    assert recipient == PHONE and subject.startswith("Một Cửa: hồ sơ ") and "đã được tiếp nhận" in body
    assert _pass(world.app, third + timedelta(days=1)).attempted == 0  # sent rows are never sent again


def test_a_permanently_failing_transport_ends_dead_and_the_row_is_kept(world, fakesend, runner):
    svc_create(world, T0)
    fakesend.FAIL_TIMES[PHONE] = -1
    moment = T0
    for attempt in range(1, 5):
        report = _pass(world.app, moment)
        sms = _sms(world.app)
        assert sms["attempts"] == attempt
        if attempt < 4:
            assert report.retrying == 1 and sms["status"] == "pending"
            assert sms["next"] - moment == timedelta(seconds=60 * 2 ** (attempt - 1))
            moment = sms["next"]
    assert report.dead == 1
    assert (sms["status"], sms["dead"], sms["next"]) == ("dead", True, None)
    assert sms["error"].startswith("ConnectionError")
    assert _pass(world.app, moment + timedelta(days=30)).attempted == 0  # dead rows wait for an admin
    assert len(_rows(world.app)) == 2

    result = runner.invoke(args=["outbox", "list", "--failed"])
    assert result.exit_code == 0, result.output
    assert f"#{sms['id']} dead sms {PHONE} receive TEST.XA-A-260302-0001" in result.output
    assert "attempts 4" in result.output and "last error: ConnectionError: gateway refused" in result.output
    assert "email" not in result.output  # the e-mail was sent

    result = runner.invoke(args=["outbox", "retry", str(sms["id"])])
    assert result.exit_code == 0 and "requeued 1" in result.output
    fakesend.FAIL_TIMES.clear()
    requeued = _sms(world.app)
    assert (requeued["status"], requeued["attempts"], requeued["dead"]) == ("pending", 0, False)
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0 and "sent 1" in result.output
    assert _sms(world.app)["status"] == "sent"


def test_a_channel_without_transport_is_retried_then_dead(world):
    svc_create(world, T0)
    with world.app.app_context():
        db.session.add(Outbox(kind="test", channel="zalo", recipient=PHONE, body="Xin chào", created_at=T0))
        db.session.commit()
    moment = T0
    for _ in range(4):
        _pass(world.app, moment)
        moment += timedelta(hours=2)
    zalo = next(r for r in _rows(world.app) if r["channel"] == "zalo")
    assert zalo["status"] == "dead" and zalo["error"] == "No transport is registered for channel 'zalo'."


def test_backoff_is_capped():
    assert deliver.backoff(1, 60, 3600) == timedelta(seconds=60)
    assert deliver.backoff(3, 60, 3600) == timedelta(seconds=240)
    assert deliver.backoff(10, 60, 3600) == timedelta(seconds=3600)


def test_a_claimed_row_is_not_taken_by_a_second_worker_until_its_lease_ends(world, app):
    svc_create(world, T0)
    with app.app_context():
        first = deliver.claim(T0, 10)
        assert len(first) == 2
        assert deliver.claim(T0, 10) == []  # the other worker finds nothing to do
        assert deliver.claim(T0 + timedelta(seconds=299), 10) == []
        # The first worker died without recording anything: after the lease the rows are tried again.
        assert sorted(deliver.claim(T0 + timedelta(seconds=300), 10)) == sorted(first)


def test_deliver_command_makes_one_pass(world, fakesend, runner):
    create(world)
    create(world)
    result = runner.invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent 4, will retry 0, dead 0"
    assert {r["status"] for r in _rows(world.app)} == {"sent"}
    assert len(fakesend.SENT) == 2
    result = runner.invoke(args=["outbox", "list", "--status", "sent"])
    assert [line.split()[1] for line in result.output.splitlines()] == ["sent"] * 4
    assert runner.invoke(args=["outbox", "list", "--failed"]).output.strip() == "no rows"


def test_worker_runs_bounded_loops(world, fakesend, runner):
    create(world)
    result = runner.invoke(args=["outbox", "deliver", "--worker", "--max-loops", "1", "--interval", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "outbox worker started"
    assert lines[1] == "sent 2, will retry 0, dead 0"
    assert lines[-1].startswith("outbox worker stopped")
    assert {r["status"] for r in _rows(world.app)} == {"sent"}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_worker_stops_on_sigterm_and_ctrl_c(world, fakesend, runner, signum):
    create(world)
    fakesend.SIGNAL_ON[PHONE] = signum  # the operator stops the worker while it delivers
    before = signal.getsignal(signum)
    # Without a signal the worker would run for ever (no --max-loops).
    result = runner.invoke(args=["outbox", "deliver", "--worker", "--interval", "0.01"])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == "outbox worker stopped (sent 2, will retry 0, dead 0)"
    assert signal.getsignal(signum) == before  # handlers restored
    assert {r["status"] for r in _rows(world.app)} == {"sent"}


def test_worker_survives_a_failing_pass(world, app, monkeypatch):
    calls = []

    def broken(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("database restarting")

    monkeypatch.setattr(deliver, "deliver_pending", broken)
    with app.app_context():
        total = deliver.run_worker(interval=0, max_loops=3)
    assert len(calls) == 3 and total.attempted == 0


def test_rows_are_never_deleted(world, fakesend):
    svc_create(world, T0)
    svc_create(world, T0)
    fakesend.FAIL_TIMES[PHONE] = -1
    moment = T0
    for _ in range(6):
        _pass(world.app, moment)
        moment += timedelta(hours=2)
    with world.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Outbox)) == 4
    assert sorted(r["status"] for r in _rows(world.app)) == ["dead", "dead", "sent", "sent"]


# --- e-mail over SMTP --------------------------------------------------------------------------------------------


class _FakeSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) to receive what smtplib sends."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        server = self.server
        self.reply("220 fake.smtp ESMTP")
        envelope = {"rcpt": []}
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250-fake.smtp\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n")
            elif verb == "AUTH":
                server.logins.append(base64.b64decode(command.split()[2]).split(b"\0")[1:])
                self.reply("235 2.7.0 Authentication successful")
            elif verb == "MAIL":
                envelope["from"] = command
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(command)
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                envelope["message"] = BytesParser(policy=policy.default).parsebytes(data)
                server.received.append(dict(envelope))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _FakeSmtp)
    server.daemon_threads = True
    server.received, server.logins = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _smtp_config(app, server, **extra):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.server_address[1], SMTP_SECURITY="none",
                      SMTP_FROM="mot-cua@xa-a.gov.vn", **extra)


def test_email_goes_over_smtp_when_configured(world, fakesend, smtp_server):
    _smtp_config(world.app, smtp_server, SMTP_USER="motcua", SMTP_PASSWORD="mat-khau")
    code = svc_create(world, T0)
    assert _pass(world.app, T0).sent == 2
    assert len(smtp_server.received) == 1
    envelope = smtp_server.received[0]
    message = envelope["message"]
    assert "<mot-cua@xa-a.gov.vn>" in envelope["from"] and "<an@example.vn>" in envelope["rcpt"][0]
    assert message["To"] == "an@example.vn" and message["From"] == "mot-cua@xa-a.gov.vn"
    assert message["Subject"] == f"Một Cửa: hồ sơ {code}"
    assert f"Hồ sơ {code} đã được tiếp nhận" in message.get_content()
    assert smtp_server.logins == [[b"motcua", b"mat-khau"]]


def test_smtp_failure_is_recorded_and_retried(world, fakesend, smtp_server):
    port = smtp_server.server_address[1]
    smtp_server.shutdown()
    smtp_server.server_close()  # nothing listens there any more
    world.app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none", SMTP_TIMEOUT=2)
    svc_create(world, T0)
    report = _pass(world.app, T0)
    assert (report.sent, report.retrying) == (1, 1)
    email = next(r for r in _rows(world.app) if r["channel"] == "email")
    assert email["status"] == "pending" and email["error"].startswith("ConnectionRefusedError")


def test_without_smtp_email_is_written_to_the_log(world, caplog):
    with world.app.app_context(), caplog.at_level("INFO", logger="motcua.notifications"):
        email_transport("an@example.vn", "Chủ đề", "Nội dung")
    assert "[email] to an@example.vn: Chủ đề Nội dung" in caplog.text


def test_workers_running_at_once_send_each_row_once(world, fakesend):
    from concurrent.futures import ThreadPoolExecutor

    for _ in range(8):
        svc_create(world, T0)
    barrier = threading.Barrier(4)

    def work(_i):
        with world.app.app_context():
            barrier.wait()
            return deliver.deliver_pending(batch=3)

    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(work, range(4)))
    assert sum(r.sent for r in reports) == 16 and sum(r.attempted for r in reports) == 16
    assert len(fakesend.CALLS) == 8 and len({body for _r, _s, body in fakesend.SENT}) == 8
    assert {(r["status"], r["attempts"]) for r in _rows(world.app)} == {("sent", 1)}
