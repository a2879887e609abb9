"""flask national-portal simulate | status

``simulate`` serves the receiving side of the national portal (core.national_portal.simulator) until Ctrl-C.
``status`` counts dossiers by sync state and lists those that failed.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.national_portal.connector import CHANNEL, sync_enabled
from core.notifications.models import Outbox


@click.group("national-portal", help="Sync with the National Public Service Portal (Cổng Dịch vụ công quốc gia).")
def national_portal_cli():
    pass


@national_portal_cli.command("simulate")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8090, show_default=True)
@click.option("--record-file", type=click.Path(dir_okay=False), default=None,
              help="SQLite file keeping the accepted payloads (also read back at start).")
@click.option("--token", default="", help="Require this Bearer token.")
@click.option("--username", default="", help="Require HTTP Basic with this username (and --password).")
@click.option("--password", default="")
def simulate_command(host: str, port: int, record_file: str | None, token: str, username: str, password: str):
    """Serve a simulator of the portal's receiving side (schema check, record, failure modes)."""
    from werkzeug.serving import make_server

    from core.national_portal.simulator import Simulator

    server = make_server(host, port, Simulator(record_file, token, username, password), threaded=True)
    click.echo(f"national portal simulator on http://{host}:{server.server_port}/ "
               f"(records: GET /_simulator/records, failures: POST /_simulator/mode)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@national_portal_cli.command("status")
@with_appcontext
def status_command():
    """Sync on or off, messages by status, and the failed ones."""
    click.echo("sync " + ("enabled" if sync_enabled() else "disabled"))
    for status in ("pending", "sent", "dead"):
        count = db.session.query(Outbox).filter(Outbox.channel == CHANNEL, Outbox.status == status).count()
        click.echo(f"{status}: {count}")
    for row in db.session.scalars(select(Outbox).where(Outbox.channel == CHANNEL, Outbox.status == "dead")
                                  .order_by(Outbox.id.desc()).limit(50)):
        click.echo(f"#{row.id} {row.recipient} status {row.subject} attempts {row.attempts}: {row.last_error}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(national_portal_cli)
