"""The citizen of this browser session, kept under its own session key (never Flask-Login's ``_user_id``)."""

from __future__ import annotations

from flask import g, session
from sqlalchemy import select

from core.citizens.identity import Identity
from core.citizens.models import Citizen
from core.db_types import utcnow
from core.extensions import db

KEY = "citizen"


def current_citizen() -> Citizen | None:
    if "_citizen" not in g:
        g._citizen = _load(session.get(KEY))
    return g._citizen


def _load(value) -> Citizen | None:
    # "<id>:<session version>": a session opened before the citizen signed out elsewhere no longer matches.
    citizen_id, _sep, version = str(value or "").partition(":")
    if not (citizen_id.isascii() and citizen_id.isdigit() and version.isascii() and version.isdigit()):
        return None
    citizen = db.session.get(Citizen, int(citizen_id))
    if citizen is None or citizen.session_id() != f"{int(citizen_id)}:{int(version)}":
        return None
    return citizen


def sign_in(issuer: str, identity: Identity) -> Citizen:
    """Record what the provider vouched for (it may have changed since the last time) and open the session."""
    citizen = db.session.scalar(select(Citizen).where(Citizen.issuer == issuer, Citizen.subject == identity.subject))
    if citizen is None:
        citizen = Citizen(issuer=issuer, subject=identity.subject)
        db.session.add(citizen)
    citizen.full_name, citizen.id_number = identity.full_name, identity.id_number
    citizen.birth_date, citizen.phone, citizen.address = identity.birth_date, identity.phone, identity.address
    citizen.signed_in_at = utcnow()
    db.session.commit()
    session[KEY] = citizen.session_id()
    g._citizen = citizen
    return citizen


def sign_out() -> None:
    """End every session of the citizen, not only this browser's cookie (a copied cookie would live on)."""
    citizen = current_citizen()
    if citizen is not None:
        citizen.session_version = (citizen.session_version or 0) + 1
        db.session.commit()
    session.pop(KEY, None)
    g._citizen = None
