"""flask plugins list [--unit SLUG], flask plugins new-migration PLUGIN -m MESSAGE"""

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


@plugins_cli.command("new-migration")
@click.argument("plugin")
@click.option("-m", "--message", required=True, help="What the revision changes (its file name and docstring).")
@click.option("--empty", is_flag=True, help="Write an empty revision to fill by hand (data changes, SQL).")
@with_appcontext
def new_migration(plugin, message, empty):
    """Write the plugin's next revision into <package>/migrations: on its own branch (label = the plugin's name),
    the first one depending on core's current head; its tables (<plugin>_*) compared with its models."""
    from core.plugins.migrations import MigrationError, new_revision

    try:
        path = new_revision(current_app._get_current_object(), plugin, message, autogenerate=not empty)
    except MigrationError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {path}")
    click.echo("Apply it with `flask db upgrade heads`.")
