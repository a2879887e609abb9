"""Flask extensions, created unbound and bound in create_app (one instance per process, state per app)."""

from __future__ import annotations

from functools import cached_property

from flask_babel import Babel, Domain
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _AppDomain(Domain):
    """Flask-Babel caches the merged catalogue once per process; each app has its own plugins and so its own
    translation folders (tests build many apps), so the cache is kept on the app."""

    def get_translations_cache(self, ctx):
        from flask import current_app

        return current_app.extensions.setdefault("motcua_translations", {})


class _Babel(Babel):
    @cached_property
    def domain_instance(self):
        return _AppDomain(domain=self.domain)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = _Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def configured_limit(setting: str):
    """A rate limit read from the app's config when a request comes (tests and deployments set their own)."""
    from flask import current_app

    return lambda: current_app.config[setting]


def tracking_limit(**kwargs):
    """One budget per client address for every lookup that confirms a dossier code with a phone number (the API's
    tracking, rating and withdrawal, and the portal's pages): six separate counters gave six times the guesses
    (SEC-12)."""
    return limiter.shared_limit(configured_limit("TRACK_RATE_LIMIT"), scope="tracking", **kwargs)
