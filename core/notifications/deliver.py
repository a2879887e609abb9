"""Delivering the outbox: claim the rows that are due, send each through its channel's transport, record the outcome.

Rows are never deleted. A failed attempt keeps the row, its ``last_error`` and ``attempts``, and schedules the next
attempt with exponential backoff (OUTBOX_BACKOFF_SECONDS × 2^(attempts−1), at most OUTBOX_BACKOFF_MAX_SECONDS). After
OUTBOX_MAX_ATTEMPTS failed attempts the row is ``dead``: it stays, visible to admins (``flask outbox list --failed``)
until one of them requeues it (``flask outbox retry``).

Several workers may run side by side: claiming a row pushes its ``next_attempt_at`` forward by a lease
(OUTBOX_LEASE_SECONDS) in a short transaction (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time), so
no two workers send the same row, and a row whose worker died is tried again when the lease ends. The transport is
called outside any transaction. Delivery is at least once: a worker killed between sending and recording sends again.

A transport that raises ``DeliveryRejected`` (the receiver refused the message for good) makes the row dead at once.
Rows of an ORDERED channel (the national portal: a dossier's statuses must arrive in the order they happened) are
claimed one at a time per dossier: a row waits while an older row of the same dossier and channel is still pending
(including one leased to another worker or waiting for its retry); a dead row does not hold the later ones back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from core.db_types import utcnow
from core.dbutil import write_transaction
from core.extensions import db
from core.localtime import iso
from core.notifications.models import Outbox
from core.plugins.manager import host
from core.plugins.types import DeliveryRejected

log = logging.getLogger("motcua.notifications")

DEFAULTS = {
    "OUTBOX_MAX_ATTEMPTS": 6,
    "OUTBOX_BACKOFF_SECONDS": 60,
    "OUTBOX_BACKOFF_MAX_SECONDS": 6 * 3600,
    "OUTBOX_LEASE_SECONDS": 300,
    "OUTBOX_BATCH": 50,
    "OUTBOX_POLL_SECONDS": 10,
}
ERROR_MAX_CHARS = 2000
# Channels whose rows of one dossier are delivered strictly in order (see the module's docstring).
ORDERED_CHANNELS = ("national_portal",)


def config(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


@dataclass
class DeliveryReport:
    """What one pass did."""

    sent: int = 0
    retrying: int = 0
    dead: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.dead

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.dead += other.dead


def backoff(attempts: int, base_seconds: int | None = None, max_seconds: int | None = None) -> timedelta:
    """Delay before the next attempt after ``attempts`` failed ones: base × 2^(attempts−1), capped."""
    base = config("OUTBOX_BACKOFF_SECONDS") if base_seconds is None else base_seconds
    cap = config("OUTBOX_BACKOFF_MAX_SECONDS") if max_seconds is None else max_seconds
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def transports() -> dict[str, Callable[[str, str, str], None]]:
    """Channel -> send callable, from the register_notification_transports hook (plugins override core)."""
    return dict(host().transports)


def claim(now: datetime, limit: int) -> list[int]:
    """Lease up to ``limit`` due pending rows to this worker; returns their ids, oldest first."""
    lease_end = now + timedelta(seconds=config("OUTBOX_LEASE_SECONDS"))
    older = aliased(Outbox)
    waits_for_older = exists().where(
        older.dossier_id == Outbox.dossier_id, older.channel == Outbox.channel, older.status == "pending",
        older.id < Outbox.id)
    with write_transaction():
        rows = db.session.scalars(
            select(Outbox)
            .where(Outbox.status == "pending", or_(Outbox.next_attempt_at.is_(None), Outbox.next_attempt_at <= now),
                   ~and_(Outbox.channel.in_(ORDERED_CHANNELS), waits_for_older))
            .order_by(Outbox.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.next_attempt_at = lease_end
        ids = [row.id for row in rows]
    return ids


def _send(row: Outbox, senders: dict) -> tuple[str | None, bool]:
    """Call the row's transport: (the error text, whether it is final) on failure, (None, False) on success."""
    send = senders.get(row.channel)
    if send is None:
        return f"No transport is registered for channel '{row.channel}'.", False
    try:
        send(row.recipient, row.subject, row.body)
    except Exception as exc:  # any failure of a transport is recorded on the row, never lost
        text = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS] or type(exc).__name__
        return text, isinstance(exc, DeliveryRejected)
    return None, False


def deliver_one(row_id: int, senders: dict, now: Callable[[], datetime]) -> str:
    """Send one claimed row and record the outcome: "sent", "retrying" or "dead"."""
    row = db.session.get(Outbox, row_id)
    error, final = _send(row, senders)
    moment = now()
    with write_transaction():
        row = db.session.get(Outbox, row_id)
        row.attempts += 1
        if error is None:
            row.status, row.sent_at, row.next_attempt_at = "sent", moment, None
            return "sent"
        row.last_error = error
        if final or row.attempts >= config("OUTBOX_MAX_ATTEMPTS"):
            row.status, row.dead, row.next_attempt_at = "dead", True, None
            log.error("outbox %s (%s to %s) is dead after %s attempts: %s", row.id, row.channel, row.recipient,
                      row.attempts, error)
            return "dead"
        row.next_attempt_at = moment + backoff(row.attempts)
        log.warning("outbox %s attempt %s failed, next at %s: %s", row.id, row.attempts,
                    iso(row.next_attempt_at), error)
        return "retrying"


def deliver_pending(now: datetime | None = None, batch: int | None = None,
                    stop: threading.Event | None = None) -> DeliveryReport:
    """One pass: deliver every row that is due now (in batches), then return what happened.

    ``now`` fixes the clock (tests); by default the real time is read at each step.
    """
    clock = (lambda: now) if now is not None else utcnow
    senders = transports()
    report = DeliveryReport()
    size = batch or config("OUTBOX_BATCH")
    while not (stop and stop.is_set()):
        ids = claim(clock(), size)
        if not ids:
            break
        for row_id in ids:
            outcome = deliver_one(row_id, senders, clock)
            setattr(report, outcome, getattr(report, outcome) + 1)
        db.session.remove()  # a long-running worker must not keep every row in its identity map
    return report


def run_worker(interval: float | None = None, max_loops: int | None = None, stop: threading.Event | None = None,
               on_pass: Callable[[DeliveryReport], None] | None = None) -> DeliveryReport:
    """Deliver, sleep ``interval`` seconds, repeat until ``stop`` is set (or after ``max_loops`` passes).

    A pass that fails (the database restarting, say) is logged and retried after the sleep; the worker keeps going.
    """
    stop = stop or threading.Event()
    interval = config("OUTBOX_POLL_SECONDS") if interval is None else interval
    total, loops = DeliveryReport(), 0
    while not stop.is_set():
        try:
            report = deliver_pending(stop=stop)
            total.add(report)
            if on_pass:
                on_pass(report)
        except Exception:  # keep the worker alive; the rows are untouched or leased and will be tried again
            log.exception("outbox delivery pass failed")
            db.session.rollback()
        finally:
            db.session.remove()
        loops += 1
        if max_loops is not None and loops >= max_loops:
            break
        stop.wait(interval)
    return total


# --- admin views -------------------------------------------------------------------------------------------------


def failed_rows(limit: int = 100) -> list[Outbox]:
    """Rows that are not sent and have failed at least once (dead ones and those waiting for a retry), newest first."""
    return list(db.session.scalars(
        select(Outbox).where(Outbox.status != "sent", Outbox.attempts > 0).order_by(Outbox.id.desc()).limit(limit)))


def requeue(ids: list[int] | None = None, all_dead: bool = False, now: datetime | None = None) -> int:
    """Put dead rows back in the queue (attempts start again from zero; the last error stays for reference)."""
    with write_transaction():
        query = select(Outbox).where(Outbox.status == "dead")
        if not all_dead:
            query = query.where(Outbox.id.in_(ids or []))
        rows = db.session.scalars(query).all()
        for row in rows:
            row.status, row.dead, row.attempts, row.next_attempt_at = "pending", False, 0, now or utcnow()
        return len(rows)
