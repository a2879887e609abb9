"""flask units apply [--dry-run] | diff"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from core.extensions import db
from core.tenancy.loader import UnitFileError, apply_specs, diff_specs, load_specs


def _specs(folder: str | None):
    path = Path(folder or current_app.config["COMMUNES_DIR"])
    if not path.is_dir():
        raise click.ClickException(f"{path} is not a folder.")
    host = current_app.extensions["motcua"]
    declared = {name: host.unit_settings.get(name, {}) for name in host.plugins}
    try:
        return load_specs(path, declared)
    except UnitFileError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("units", help="Units (communes, offices) from the communes/*.toml files.")
def units_cli():
    pass


@units_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Validate and show what would change, write nothing.")
@click.option("--dir", "folder", help="Folder of unit files (default: communes/).")
@with_appcontext
def apply_units(dry_run, folder):
    specs = _specs(folder)
    if dry_run:
        changes = diff_specs(specs)
        db.session.rollback()
    else:
        changes = apply_specs(specs)
        db.session.commit()
    for line in changes:
        click.echo(line)
    verb = "would change" if dry_run else "changed"
    click.echo(f"{len(specs)} unit files valid; {len(changes)} difference(s) {verb}.")


@units_cli.command("diff")
@click.option("--dir", "folder", help="Folder of unit files (default: communes/).")
@with_appcontext
def diff_units(folder):
    changes = diff_specs(_specs(folder))
    for line in changes:
        click.echo(line)
    if changes:
        raise click.exceptions.Exit(1)
    click.echo("No drift: the database matches the unit files.")
