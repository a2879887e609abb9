"""flask outbox deliver [--worker] | list [--failed] | retry ID… [--all-dead]

``deliver`` makes one pass over the due rows; ``--worker`` keeps delivering, sleeping ``--interval`` seconds between
passes, until SIGTERM or Ctrl-C (``--max-loops`` bounds it, for tests and cron-like use).
"""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.localtime import VN_TZ
from core.notifications import deliver as delivery
from core.notifications.models import Outbox


@click.group("outbox", help="Notifications to citizens: deliver them, list failures, requeue dead ones.")
def outbox_cli():
    pass


def _report_line(report: delivery.DeliveryReport) -> str:
    return f"sent {report.sent}, will retry {report.retrying}, dead {report.dead}"


def _install_stop_handlers(stop: threading.Event) -> dict:
    """SIGTERM and SIGINT set ``stop`` (the current pass finishes first); returns the previous handlers."""
    previous = {}
    if threading.current_thread() is not threading.main_thread():
        return previous
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous[signum] = signal.signal(signum, lambda *_args: stop.set())
    return previous


@outbox_cli.command("deliver")
@click.option("--worker", is_flag=True, help="Keep delivering until stopped (SIGTERM or Ctrl-C).")
@click.option("--interval", type=click.FloatRange(min=0), default=None,
              help="Seconds to sleep between passes in worker mode (default OUTBOX_POLL_SECONDS).")
@click.option("--max-loops", type=click.IntRange(min=1), default=None, help="Stop the worker after N passes.")
@click.option("--batch", type=click.IntRange(min=1), default=None, help="Rows claimed at a time.")
@with_appcontext
def deliver_command(worker: bool, interval: float | None, max_loops: int | None, batch: int | None):
    """Send the pending notifications (one pass, or as a long-running worker)."""
    if not worker:
        report = delivery.deliver_pending(batch=batch)
        click.echo(_report_line(report))
        return
    def echo_pass(report: delivery.DeliveryReport) -> None:
        if report.attempted:
            click.echo(_report_line(report))

    stop = threading.Event()
    previous = _install_stop_handlers(stop)
    click.echo("outbox worker started")
    try:
        total = delivery.run_worker(interval=interval, max_loops=max_loops, stop=stop, on_pass=echo_pass)
    except KeyboardInterrupt:  # a second Ctrl-C during a pass
        total = None
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    click.echo("outbox worker stopped" + (f" ({_report_line(total)})" if total else ""))


def _when(moment) -> str:
    return moment.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M") if moment else "-"


def _dossier_codes(rows) -> dict[int, str]:
    """The code of each row's dossier, loaded in one query (through the row's read-only relationship)."""
    ids = [r.id for r in rows if r.dossier_id]
    if not ids:
        return {}
    found = db.session.scalars(select(Outbox).where(Outbox.id.in_(ids)).options(selectinload(Outbox.dossier)))
    return {row.dossier_id: row.dossier.code for row in found if row.dossier is not None}


@outbox_cli.command("list")
@click.option("--failed", is_flag=True, help="Only rows that failed at least once and are not sent (incl. dead).")
@click.option("--status", type=click.Choice(["pending", "sent", "dead"]), help="Only rows with this status.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@with_appcontext
def list_command(failed: bool, status: str | None, limit: int):
    """Show outbox rows, newest first, with their attempts and last error."""
    if failed:
        rows = delivery.failed_rows(limit)
    else:
        query = select(Outbox).order_by(Outbox.id.desc()).limit(limit)
        if status:
            query = query.where(Outbox.status == status)
        rows = db.session.scalars(query).all()
    codes = _dossier_codes(rows)
    if not rows:
        click.echo("no rows")
    for row in rows:
        click.echo(f"#{row.id} {row.status} {row.channel} {row.recipient} {row.kind} "
                   f"{codes.get(row.dossier_id, '-')} created {_when(row.created_at)} attempts {row.attempts} "
                   f"next {_when(row.next_attempt_at)} sent {_when(row.sent_at)}")
        if row.last_error:
            click.echo(f"    last error: {row.last_error}")


@outbox_cli.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-dead", is_flag=True, help="Requeue every dead row.")
@with_appcontext
def retry_command(ids: tuple[int, ...], all_dead: bool):
    """Put dead rows back in the queue."""
    if not ids and not all_dead:
        raise click.UsageError("Give row ids or --all-dead.")
    count = delivery.requeue(list(ids), all_dead=all_dead)
    click.echo(f"requeued {count}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
