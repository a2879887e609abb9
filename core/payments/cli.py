"""flask payments import-statement FILE --unit SLUG --user USERNAME: confirm VietQR transfers from a bank statement
(CSV or XLSX), as the officer's upload page does; the officer named is written as the actor in each dossier's
history."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.payments.statement import StatementError, import_statement
from core.tenancy.services import get_unit_or_none
from core.users.models import User
from core.users.permissions import can


@click.group("payments", help="Online payments of fees: import bank statements.")
def payments_cli():
    pass


@payments_cli.command("import-statement")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_slug", required=True, help="slug of the unit whose account the statement is")
@click.option("--user", "username", required=True, help="the officer who imports it (needs a role on the unit)")
@with_appcontext
def import_statement_command(path: Path, unit_slug: str, username: str):
    """Confirm every transfer of the statement whose note holds a dossier code of the unit and whose amount is the
    dossier's fee; print what was confirmed and what was not."""
    unit = get_unit_or_none(unit_slug)
    if unit is None:
        raise click.ClickException(f"Không có đơn vị '{unit_slug}'.")
    user = db.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None or not can(user, "dossier.act", unit):
        raise click.ClickException(f"'{username}' không có quyền xử lý hồ sơ của đơn vị '{unit_slug}'.")
    try:
        outcome = import_statement(user, unit, path.name, path.read_bytes())
    except StatementError as exc:
        raise click.ClickException(str(exc)) from None
    for row, code, number in outcome.confirmed:
        click.echo(f"dòng {row}: {code} đã thanh toán, biên lai {number}")
    for row, reason in outcome.skipped:
        click.echo(f"dòng {row}: bỏ qua — {reason}")
    click.echo(f"Đã xác nhận {len(outcome.confirmed)} giao dịch; bỏ qua {len(outcome.skipped)}.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(payments_cli)
