"""Password hashing (Argon2id) and API tokens (random, stored as SHA-256)."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import joinedload

from core.db_types import utcnow
from core.extensions import db
from core.users.models import ApiToken, User

_hasher = PasswordHasher()
# Verifying against this keeps the response time of an unknown username close to a wrong password's.
_DUMMY_HASH = _hasher.hash("motcua-timing-guard")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_username(username: str) -> str:
    """The one reading of a typed username, for the lookup and for the login throttle alike (SEC-01): compatibility
    forms folded (full-width letters), surrounding spaces dropped, case folded.
    Stored usernames are lower-case ASCII."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def _storable(text: str) -> bool:
    """Text PostgreSQL can compare: no NUL, no lone surrogate (both would fail the query, not the login)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    name = normalise_username(username)
    user = db.session.scalar(select(User).where(User.username == name)) if _storable(name) else None
    if user is None:
        verify_password(_DUMMY_HASH, password or "")
        return None
    if not _storable(password or "") or not verify_password(user.password_hash, password or "") or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def end_sessions(user: User) -> None:
    """End every session and revoke every API token of ``user`` (logout, password change, deactivation; SEC-08).
    Written in the caller's transaction."""
    user.credential_version = (user.credential_version or 0) + 1
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, hours: int) -> tuple[str, datetime]:
    """Create a token for ``user``; the clear text is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=hours)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id, ApiToken.expires_at < utcnow()))
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), expires_at=expires_at))
    return token, expires_at


@cache  # built on first use (the mappers are configured by then); its compiled form is cached with it
def _token_statement():
    return (select(User, ApiToken.expires_at).join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == bindparam("token_hash")).options(joinedload(User.memberships)))


@cache
def _user_statement():
    return select(User).where(User.id == bindparam("user_id")).options(joinedload(User.memberships))


def user_for_token(token: str) -> User | None:
    # Every API call asks this first: the token, its user and the user's roles in one statement (issue 16), built
    # once per process rather than at every call.
    row = db.session.execute(_token_statement(), {"token_hash": _digest(token)}).unique().first()
    if row is None or row.expires_at <= utcnow() or not row.User.active:
        return None
    return row.User


def user_with_roles(user_id: int) -> User | None:
    """The user and their memberships (with units) in one statement: a page's session loads it on every request."""
    return db.session.scalars(_user_statement(), {"user_id": user_id}).unique().first()


def revoke_token(token: str) -> None:
    db.session.execute(delete(ApiToken).where(ApiToken.token_hash == _digest(token)))
