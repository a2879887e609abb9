"""``flask signing demo-certificates``: the demo CA and a demo certificate for every unit (run by ``make run``)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.signing import pkcs12_dir
from core.tenancy.models import Unit


@click.group("signing", help="Certificates that sign electronic results.")
def signing_cli():
    pass


@signing_cli.command("demo-certificates")
@with_appcontext
def demo_certificates():
    """Create the demo CA and a PKCS#12 file per unit in SIGNING_PKCS12_DIR (instance/signing), marked "DEMO – không
    có giá trị pháp lý"; units that already have one keep it. Refused in production."""
    from core.signing.demo import ensure_unit_certificates  # cryptography: not every worker's memory (issue 16)

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo certificates are never made in production: install the units' real "
                                   "certificates (README, 'Installing a real signing certificate').")
    # With no SIGNING_PKCS12_PASSWORD the demo files have none: `make run` needs no password setting.
    password = current_app.config.get("SIGNING_PKCS12_PASSWORD") or ""
    units = [(u.slug, u.name) for u in db.session.scalars(select(Unit).order_by(Unit.slug))]
    made = ensure_unit_certificates(pkcs12_dir(), units, password)
    click.echo(f"Demo signing certificates in {pkcs12_dir()}: {len(made)} created, {len(units) - len(made)} kept.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(signing_cli)
