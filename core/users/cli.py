"""flask users create | set-password | grant | revoke | list"""

from __future__ import annotations

import re

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core.extensions import db
from core.tenancy.services import get_unit_or_none
from core.users.models import ROLES, Membership, User
from core.users.security import end_sessions, hash_password


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"No user '{username}'.")
    return user


USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")


def _username_ok(username: str) -> str:
    if not USERNAME_RE.match(username or ""):
        raise click.ClickException(
            f"Bad username {username!r}: use 3 to 80 lower-case letters without accents, digits, '.', '-' or '_', "
            "starting with a letter or digit (e.g. lim.tiepnhan)."
        )
    return username


def _unit(slug: str):
    unit = get_unit_or_none(slug)
    if unit is None:
        raise click.ClickException(f"No unit '{slug}'.")
    return unit


def _password_ok(password: str) -> str:
    if len(password) < 8:
        raise click.ClickException("The password must have at least 8 characters.")
    return password


@click.group("users", help="Manage officer accounts and their roles.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("username")
@click.option("--full-name", required=True, help="Full name, e.g. 'Nguyễn Văn An'.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--unit", "unit_slug", help="Grant a role on this unit at once (with --role).")
@click.option("--role", type=click.Choice(ROLES))
@with_appcontext
def create_user(username, full_name, password, unit_slug, role):
    _username_ok(username)
    full_name = (full_name or "").strip()
    if not full_name:
        raise click.ClickException("The full name must not be blank.")
    if db.session.scalar(select(User).where(User.username == username)) is not None:
        raise click.ClickException(f"User '{username}' already exists.")
    if bool(unit_slug) != bool(role):
        raise click.ClickException("--unit and --role go together.")
    user = User(username=username, full_name=full_name, password_hash=hash_password(_password_ok(password)))
    db.session.add(user)
    if unit_slug:
        unit = _unit(unit_slug)
        user.memberships.append(Membership(unit_id=unit.id, role=role))
    db.session.commit()
    click.echo(f"Created {username}.")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def set_password(username, password):
    user = _user(username)
    user.password_hash = hash_password(_password_ok(password))
    end_sessions(user)  # sessions and tokens opened with the old password end
    db.session.commit()
    click.echo(f"Password of {username} changed. Every session and token of the user ended.")


@users_cli.command("grant")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.argument("unit_slug")
@with_appcontext
def grant(username, role, unit_slug):
    user = _user(username)
    unit = _unit(unit_slug)
    if any(m.unit_id == unit.id and m.role == role for m in user.memberships):
        click.echo(f"{username} already has {role} on {unit_slug}.")
        return
    user.memberships.append(Membership(unit_id=unit.id, role=role))
    db.session.commit()
    click.echo(f"Granted {role} on {unit_slug} to {username}.")


@users_cli.command("revoke")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.argument("unit_slug")
@with_appcontext
def revoke(username, role, unit_slug):
    user = _user(username)
    unit = _unit(unit_slug)
    found = [m for m in user.memberships if m.unit_id == unit.id and m.role == role]
    if not found:
        raise click.ClickException(f"{username} has no role {role} on {unit_slug}.")
    for membership in found:
        user.memberships.remove(membership)
    db.session.commit()
    click.echo(f"Revoked {role} on {unit_slug} from {username}.")


@users_cli.command("list")
@click.option("--unit", "unit_slug", help="Only users with a role on this unit.")
@with_appcontext
def list_users(unit_slug):
    query = select(User).order_by(User.username)
    if unit_slug:
        unit = _unit(unit_slug)
        query = query.join(Membership).where(Membership.unit_id == unit.id).distinct()
    for user in db.session.scalars(query):
        held = sorted(user.memberships, key=lambda m: (m.unit.slug, m.role))
        roles = ", ".join(f"{m.role}@{m.unit.slug}" for m in held) or "-"
        state = "" if user.active else " (inactive)"
        click.echo(f"{user.username}\t{user.full_name}\t{roles}{state}")
