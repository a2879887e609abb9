"""flask units apply [--dry-run] | diff: the unit files (core.tenancy.loader), then their merges (merge.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.merging.merge import MergeError, MergePlan, carry_out, plan_merge
from core.plugins.manager import host
from core.tenancy.loader import UnitFileError, UnitSpec, apply_specs, diff_specs, load_specs
from core.tenancy.models import Unit


def _specs(folder: str | None, overlay: str | Path | None = None):
    """The unit files of ``folder`` (default: COMMUNES_DIR); files of ``overlay`` replace those of the same name."""
    path = Path(folder or current_app.config["COMMUNES_DIR"])
    if not path.is_dir():
        raise click.ClickException(f"{path} is not a folder.")
    plugins = host()
    declared = {name: plugins.unit_settings.get(name, {}) for name in plugins.plugins}
    try:
        return load_specs(path, declared, overlay=Path(overlay) if overlay else None)
    except UnitFileError as exc:
        raise click.ClickException(str(exc)) from exc


def due_merges(specs: list[UnitSpec]) -> list[tuple[UnitSpec, Unit, Unit]]:
    """(file, old unit, new unit) of every merge whose day has come and that the database has not carried out."""
    units = {u.slug: u for u in db.session.scalars(select(Unit))}
    found = []
    for spec in specs:
        old, new = units.get(spec.slug), units.get(spec.merged_into or "")
        if spec.merge_due() and old is not None and new is not None and old.successor_id is None:
            found.append((spec, old, new))
    return found


def scheduled_lines(specs: list[UnitSpec]) -> list[str]:
    return [f"· {s.slug}: to be merged into {s.merged_into} on {s.merged_on.isoformat()} (not before that day)"
            for s in specs if s.merged_into is not None and not s.merge_due()]


def preview(specs: list[UnitSpec]) -> tuple[list[MergePlan], list[str]]:
    """Merge plans and refused merges, checked against the files as if applied: reads only, tells no plugin."""
    units = {u.slug: u for u in db.session.scalars(select(Unit))}
    by_slug = {s.slug: s for s in specs}
    plans, refused = [], []
    for spec in specs:
        old = units.get(spec.slug)
        if not spec.merge_due() or old is None or old.successor_id is not None:
            continue
        target = by_slug.get(spec.merged_into)
        new = units.get(spec.merged_into)
        if new is None:  # created by the same files: a stand-in, never added to the session
            new = Unit(slug=target.slug, code=target.code, name=target.name, kind=target.kind,
                       agency_code=target.agency_code, active=target.active)
        plugins = ({name: p["settings"] for name, p in target.plugins.items() if p["enabled"]}
                   if target is not None else None)
        if target is not None and not target.active:
            new.active = False
        try:
            plans.append(plan_merge(old, new, spec.merged_on, plugins))
        except MergeError as exc:
            refused.append(f"{spec.path}: merge of {old.slug} into {spec.merged_into} refused: {exc}")
    return plans, refused


def apply_merges(specs: list[UnitSpec]) -> list[MergePlan]:
    """Carry out the due merges, one transaction per old unit."""
    done = []
    for spec, old, new in due_merges(specs):
        try:
            done.append(carry_out(old, new, spec.merged_on))
        except MergeError as exc:
            raise click.ClickException(f"{spec.path}: merge of {old.slug} into {new.slug} refused: {exc}") from exc
    return done


@click.group("units", help="Units (communes, offices) from the communes/*.toml files.")
def units_cli():
    pass


def run_apply(specs: list[UnitSpec], dry_run: bool) -> None:
    """Check every due merge against the files first (nothing is written when one is refused), apply the files
    (one transaction), then carry out each due merge (one transaction per old unit)."""
    plans, refused = preview(specs)
    if refused:
        db.session.rollback()
        raise click.ClickException("\n".join(refused) + "\nNothing was written.")
    if dry_run:
        changes = diff_specs(specs)
        db.session.rollback()
    else:
        changes = apply_specs(specs)
        db.session.commit()
        plans = apply_merges(specs)
    for line in [*changes, *[line for plan in plans for line in plan.lines()], *scheduled_lines(specs)]:
        click.echo(line)
    verb = "would change" if dry_run else "changed"
    merged = f"; {len(plans)} merge(s) {'to carry out' if dry_run else 'carried out'}" if plans else ""
    click.echo(f"{len(specs)} unit files valid; {len(changes)} difference(s) {verb}{merged}.")


@units_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Validate and show what would change, write nothing.")
@click.option("--dir", "folder", help="Folder of unit files (default: communes/).")
@with_appcontext
def apply_units(dry_run, folder):
    run_apply(_specs(folder), dry_run)


@units_cli.command("diff")
@click.option("--dir", "folder", help="Folder of unit files (default: communes/).")
@with_appcontext
def diff_units(folder):
    specs = _specs(folder)
    changes = diff_specs(specs)
    plans, refused = preview(specs)
    db.session.rollback()
    lines = [*changes, *[line for plan in plans for line in plan.lines()], *refused]
    for line in [*lines, *scheduled_lines(specs)]:
        click.echo(line)
    if lines:
        raise click.exceptions.Exit(1)
    click.echo("No drift: the database matches the unit files.")
