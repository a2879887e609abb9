"""Pytest fixtures for Một Cửa and for plugin authors.

Use in a ``conftest.py``::

    pytest_plugins = ["core.testing"]

Fixtures: ``app`` (a fresh application on a clean database), ``client``, ``runner``, ``factory`` (units, users,
logins, tokens). The database is SQLite in a temporary folder, or PostgreSQL when ``TEST_DATABASE_URL`` is set (one
database per pytest-xdist worker). Every table is emptied after each test.

Mark a test with ``@pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status",))`` to change settings, and with
``@pytest.mark.enabled_plugins("land")`` to choose what ``factory.commune()`` enables by default.

The app context is NOT pushed for the test body (requests must not share ``g`` or the session with the test): wrap
direct database work in ``with app.app_context():``.
"""

from __future__ import annotations

import os
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

TEST_PASSWORD = "motcua-test-pass"


@lru_cache(maxsize=1)
def _test_password_hash() -> str:
    from core.users.security import hash_password

    return hash_password(TEST_PASSWORD)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _postgres_url(base: str) -> str:
    """A database of this worker's own next to TEST_DATABASE_URL's, created when missing."""
    url = make_url(base)
    # TEST_DB_SUFFIX keeps suites run side by side on one server (several developers, one machine) apart.
    name = f"{url.database}_{os.environ.get('TEST_DB_SUFFIX', '')}{_worker()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        return _postgres_url(base)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@contextmanager
def scratch_database_url(database_url: str, tag: str, sqlite_file):
    """An empty database beside the test database, dropped afterwards: the SQLite file ``sqlite_file``, or the
    PostgreSQL database ``<test database>_<tag>`` (for tests that build a schema from nothing: migrations, restore)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{sqlite_file}"
        return
    url = make_url(database_url)
    name = f"{url.database}_{tag}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory):
    """Create every table once per session (fresh: drop what an earlier run left)."""
    from core import create_app
    from core.extensions import db

    app = create_app(_base_config(database_url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    return True


def _base_config(database_url: str, instance) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_DIR": str(instance / "uploads"),
        "LOAD_ENTRYPOINT_PLUGINS": True,
        "SERVER_NAME": None,
    }


def _empty_tables(db) -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            from core.audit_guard import lifted

            with lifted(conn):  # the history refuses DELETE (core.audit_guard); SQLite has no TRUNCATE
                for table in tables:
                    conn.execute(table.delete())


@pytest.fixture
def app(request, database_url, _schema, tmp_path):
    from core import create_app
    from core.extensions import db

    config = _base_config(database_url, tmp_path)
    for marker in reversed(list(request.node.iter_markers("app_config"))):
        config.update(marker.kwargs)
    os.environ.setdefault("MOTCUA_INSTANCE", str(tmp_path / "instance"))
    application = create_app(config)
    yield application
    with application.app_context():
        db.session.remove()
        _empty_tables(db)
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass
class Factory:
    """Builds units, users and logins for a test; every call runs in its own app context and commits."""

    app: object
    default_plugins: tuple[str, ...]

    def unit(self, slug: str, kind: str = "commune", parent: str | None = None, plugins=None, name: str | None = None,
             code: str | None = None, agency_code: str | None = None, settings: dict | None = None):
        from core.extensions import db
        from core.tenancy.models import Unit, UnitPlugin
        from core.tenancy.services import get_unit_or_none

        with self.app.app_context():
            parent_unit = get_unit_or_none(parent) if parent else None
            unit = Unit(slug=slug, kind=kind, name=name or f"Xã {slug.replace('-', ' ').title()}",
                        code=code or str(10000 + zlib.crc32(slug.encode()) % 89999), parent=parent_unit,
                        agency_code=agency_code if agency_code is not None else f"TEST.{slug.upper()}")
            chosen = self.default_plugins if plugins is None else plugins
            for name_ in chosen:
                unit.plugins.append(UnitPlugin(plugin=name_, enabled=True,
                                               settings=(settings or {}).get(name_, {})))
            db.session.add(unit)
            db.session.commit()
            return unit.id

    def district(self, slug: str = "huyen-test", **kwargs):
        return self.unit(slug, kind="district", plugins=(), **kwargs)

    def commune(self, slug: str = "xa-test", parent: str | None = None, plugins=None, **kwargs):
        return self.unit(slug, kind="commune", parent=parent, plugins=plugins, **kwargs)

    def user(self, username: str, *roles: tuple[str, str], full_name: str | None = None, active: bool = True):
        """``roles`` are (role, unit slug) pairs."""
        from core.extensions import db
        from core.tenancy.services import get_unit_or_none
        from core.users.models import Membership, User

        with self.app.app_context():
            user = User(username=username, full_name=full_name or username.replace(".", " ").title(),
                        password_hash=_test_password_hash(), active=active)
            for role, slug in roles:
                user.memberships.append(Membership(unit_id=get_unit_or_none(slug).id, role=role))
            db.session.add(user)
            db.session.commit()
            return user.id

    def set_plugin(self, slug: str, plugin: str, enabled: bool, settings: dict | None = None) -> None:
        from core.extensions import db
        from core.tenancy.models import UnitPlugin
        from core.tenancy.services import get_unit_or_none

        with self.app.app_context():
            unit = get_unit_or_none(slug)
            row = next((p for p in unit.plugins if p.plugin == plugin), None)
            if row is None:
                unit.plugins.append(UnitPlugin(plugin=plugin, enabled=enabled, settings=settings or {}))
            else:
                row.enabled = enabled
                if settings is not None:
                    row.settings = settings
            db.session.commit()

    def login(self, client, username: str, password: str = TEST_PASSWORD):
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code in (302, 303), f"login of {username} failed: {response.status_code}"
        return client

    def token(self, client, username: str, password: str = TEST_PASSWORD) -> dict:
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.fixture
def factory(app, request):
    marker = request.node.get_closest_marker("enabled_plugins")
    plugins = tuple(marker.args) if marker else tuple(app.extensions["motcua"].plugin_names())
    return Factory(app, plugins)


def pytest_configure(config):
    config.addinivalue_line("markers", "app_config(**settings): override application settings for a test")
    config.addinivalue_line("markers", "enabled_plugins(*names): plugins that factory.commune() enables")


def vn_time(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0):
    """An aware datetime in Vietnam's time, for tests with controlled clocks."""
    from datetime import datetime

    from core.dossiers.clock import VN_TZ

    return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)


def add_plugin_folder(folder) -> None:
    """Make test-only plugins in ``folder`` importable as ``plugins.<name>`` (opt in with INSTALLED_PLUGINS)."""
    import plugins as plugins_package

    folder = str(folder)
    if folder not in plugins_package.__path__:
        plugins_package.__path__.append(folder)


@dataclass
class World:
    """A test's deployment seen from its officers: bearer headers, users and units by name."""

    app: object
    client: object
    factory: object
    tokens: dict = field(default_factory=dict)

    def h(self, username: str) -> dict:
        """Bearer headers of an officer (one token per test and user)."""
        if username not in self.tokens:
            self.tokens[username] = self.factory.token(self.client, username)
        return self.tokens[username]

    def user(self, username: str):
        """The User row, for direct service calls (inside an app context)."""
        from sqlalchemy import select

        from core.extensions import db
        from core.users.models import User

        return db.session.scalar(select(User).where(User.username == username))

    def unit(self, slug: str):
        from core.tenancy.services import get_unit_or_none

        return get_unit_or_none(slug)


@contextmanager
def throwaway_plugin(folder, name: str, title: str, hooks_source: str, version: str = "0.1.0"):
    """Write a plugin package ``plugins.<name>`` into ``folder`` (its ``hooks.py`` is ``hooks_source``), make it
    importable while the block runs, and forget its modules afterwards. Enable it with
    ``@pytest.mark.app_config(INSTALLED_PLUGINS=(..., name))``."""
    import sys
    import textwrap
    from pathlib import Path

    import plugins as plugins_package

    package = Path(folder) / name
    package.mkdir()
    info = f"INFO = PluginInfo(name={name!r}, title={title!r}, version={version!r})\n"
    (package / "__init__.py").write_text("from core.plugins import PluginInfo\n" + info)
    (package / "hooks.py").write_text(textwrap.dedent(hooks_source))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(plugins_package, "__path__", [*plugins_package.__path__, str(folder)])
        yield package
    for module in [m for m in sys.modules if m == f"plugins.{name}" or m.startswith(f"plugins.{name}.")]:
        del sys.modules[module]
