"""flask plugins list [--unit SLUG]"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.tenancy.models import Unit, UnitPlugin
from core.tenancy.services import get_unit_or_none


@click.group("plugins", help="Installed plugins and where they are enabled.")
def plugins_cli():
    pass


@plugins_cli.command("list")
@click.option("--unit", "unit_slug", help="Show enablement for one unit only.")
@with_appcontext
def list_plugins(unit_slug):
    host = current_app.extensions["motcua"]
    unit = None
    if unit_slug:
        unit = get_unit_or_none(unit_slug)
        if unit is None:
            raise click.ClickException(f"No unit '{unit_slug}'.")
    rows = db.session.execute(
        select(UnitPlugin.plugin, Unit.slug).join(Unit).where(UnitPlugin.enabled.is_(True)).order_by(Unit.slug)
    ).all()
    for name in host.plugin_names():
        loaded = host.plugins[name]
        units = [slug for plugin, slug in rows if plugin == name]
        procedures = sorted(k for k, p in host.procedures.items() if p.plugin == name)
        click.echo(f"{name} {loaded.info.version} ({loaded.source}) — {loaded.info.title}")
        click.echo(f"  hooks: {', '.join(host.hook_names(name))}")
        click.echo(f"  procedures: {', '.join(procedures) or '-'}")
        if unit is not None:
            click.echo(f"  {unit.slug}: {'enabled' if unit.slug in units else 'disabled'}")
        else:
            click.echo(f"  enabled for: {', '.join(units) or '-'}")
