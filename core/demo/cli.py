"""flask demo seed: the Tiên Du demo (units from communes/, invented accounts, and history when available);
flask demo reform: the 1 July 2025 reorganisation of that demo (communes/reform-2025/), through the merge of
``flask units apply`` (core.merging.merge).

Demo accounts exist only through this command; their shared password is public and for demonstration only.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from core.catalog.services import sync_catalog
from core.demo.history import seed_history
from core.extensions import db
from core.merging.cli import _specs, run_apply
from core.tenancy.loader import apply_specs
from core.tenancy.models import Unit
from core.users.models import Membership, User
from core.users.security import hash_password

DEMO_PASSWORD = "motcua-demo"
PROVINCE = "bac-ninh"
DISTRICT = "tien-du"
# The reform's unit files: read only by `flask demo reform`, never by a plain `flask units apply` of communes/.
REFORM_DIR = "reform-2025"
LAND_OFFICE = "vpdkdd-tien-du"
STAFF_ROLES = (("tiepnhan", "reception", "Cán bộ tiếp nhận"), ("chuyenvien", "specialist", "Chuyên viên"),
               ("lanhdao", "leader", "Lãnh đạo"))


def demo_accounts() -> list[tuple[str, str, str, str]]:
    """(username, full name, role, unit slug) of every demo account."""
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    # The administrator role works on any level: the district's, and the province's (after the 2025 reform, the
    # level that oversees the communes).
    accounts = [(f"{DISTRICT}.admin", "Quản trị huyện Tiên Du", "district_admin", DISTRICT),
                (f"{PROVINCE}.admin", "Quản trị tỉnh Bắc Ninh", "district_admin", PROVINCE)]
    for unit in units:
        if unit.kind == "commune" and unit.parent and unit.parent.slug == DISTRICT:
            for suffix, role, title in STAFF_ROLES:
                accounts.append((f"{unit.slug}.{suffix}", f"{title} {unit.name}", role, unit.slug))
    for suffix, role, title in STAFF_ROLES[1:]:
        accounts.append((f"{LAND_OFFICE}.{suffix}", f"{title} VPĐKĐĐ Tiên Du", role, LAND_OFFICE))
    return accounts


def seed_accounts() -> int:
    created = 0
    units = {u.slug: u for u in db.session.scalars(select(Unit))}
    existing = {u.username: u for u in db.session.scalars(select(User))}
    password_hash = hash_password(DEMO_PASSWORD)  # one hash for all: Argon2 is slow on purpose
    for username, full_name, role, slug in demo_accounts():
        if slug not in units:
            continue
        user = existing.get(username)
        if user is None:
            user = User(username=username, full_name=full_name, password_hash=password_hash)
            db.session.add(user)
            created += 1
        if not any(m.unit_id == units[slug].id and m.role == role for m in user.memberships):
            user.memberships.append(Membership(unit_id=units[slug].id, role=role))
    db.session.flush()
    return created


@click.group("demo", help="Demo data (invented) for trying Một Cửa.")
def demo_cli():
    pass


@demo_cli.command("seed")
@click.option("--history/--no-history", default=True, help="Also create about twelve months of dossier history.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has units (used by make run).")
@with_appcontext
def seed(history, if_empty):
    """Create or complete the Tiên Du demo; running it again changes nothing."""
    if if_empty and db.session.scalar(select(func.count(Unit.id))):
        click.echo("Database already has units: demo seed skipped.")
        return
    apply_specs(_specs(None))
    sync_catalog()
    created = seed_accounts()
    db.session.commit()
    click.echo(f"Units: {db.session.scalar(select(func.count(Unit.id)))}; demo accounts created: {created}.")
    if history:
        made = seed_history(current_app)
        click.echo(f"Demo history: {made} dossier(s) created.")


@demo_cli.command("reform")
@with_appcontext
def reform():
    """Apply the 1 July 2025 reorganisation to the demo: Tiên Du's 14 communes merged into 5 new communes of the
    province (communes/reform-2025/), their open dossiers and staff carried over; every old unit, slug and account
    keeps working. Running it again changes nothing."""
    if db.session.scalar(select(func.count(Unit.id)).where(Unit.slug == DISTRICT)) == 0:
        raise click.ClickException("Run `flask demo seed` first: the reform applies to the Tiên Du demo.")
    folder = Path(current_app.config["COMMUNES_DIR"]) / REFORM_DIR
    run_apply(_specs(None, overlay=folder), dry_run=False)
    created = seed_accounts()
    db.session.commit()
    _certify_new_units()
    click.echo(f"Reform applied (merged on 2025-07-01); demo accounts created: {created}.")


def _certify_new_units() -> None:
    """The new communes sign their results too: demo certificates for them when `make run` made the demo CA."""
    from core.signing import DEMO_CA_FILE, pkcs12_dir
    from core.signing.demo import ensure_unit_certificates

    folder = pkcs12_dir()
    if (folder / DEMO_CA_FILE).is_file():
        units = [(u.slug, u.name) for u in db.session.scalars(select(Unit))]
        ensure_unit_certificates(folder, units, current_app.config.get("SIGNING_PKCS12_PASSWORD") or "")
