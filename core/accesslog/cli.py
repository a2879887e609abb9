"""flask access-log prune: keep the access log for ACCESS_LOG_RETENTION_DAYS, no longer (run it daily, e.g. cron)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import delete

from core.accesslog.models import AccessLog
from core.db_types import utcnow
from core.extensions import db


@click.group("access-log", help="The log of officers' access to personal data.")
def access_log_cli():
    pass


@access_log_cli.command("prune")
@with_appcontext
def prune():
    days = current_app.config["ACCESS_LOG_RETENTION_DAYS"]
    result = db.session.execute(delete(AccessLog).where(AccessLog.at < utcnow() - timedelta(days=days)))
    db.session.commit()
    click.echo(f"Deleted {result.rowcount} access-log rows older than {days} days.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(access_log_cli)
