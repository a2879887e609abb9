"""Pytest fixtures for Một Cửa and for plugin authors.

Installed with ``motcua`` as a pytest plugin (entry point ``pytest11``): a plugin repository that depends on
``motcua`` gets the fixtures with nothing in its ``conftest.py``. Inside the checkout, ``tests/conftest.py`` says
``pytest_plugins = ["core.testing"]``. docs/writing_plugins.md §11 documents every helper.

Fixtures: ``app`` (a fresh application on a clean database), ``client``, ``runner``, ``factory`` (units, users,
logins, tokens, ``factory.desk()``: a commune and its three officers). The database is SQLite in a temporary
folder, or PostgreSQL when ``TEST_DATABASE_URL`` is set (one database per pytest-xdist worker). Every table is
emptied after each test. Nothing is written into the working directory: the instance folder, key and uploads are
temporary.

Test apps load the built-in plugins and, of the plugins installed through the ``motcua.plugins`` entry point, only
those named by the ini option ``motcua_plugins`` (e.g. ``motcua_plugins = ["certification"]`` under
``[tool.pytest.ini_options]``), so a package that happens to be installed never joins another suite's apps.

Mark a test with ``@pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status",))`` to change settings, with
``@pytest.mark.enabled_plugins("land")`` to choose what ``factory.commune()`` enables by default, and with
``@pytest.mark.plugin(hooks, PluginInfo(...))`` to add an in-memory plugin (no package on disk) to the test's app.

The app context is NOT pushed for the test body (requests must not share ``g`` or the session with the test): wrap
direct database work in ``with app.app_context():``, and rendering in ``with app.test_request_context():``.
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


@pytest.fixture(scope="session", autouse=True)
def _instance_outside_the_working_directory(tmp_path_factory):
    """An app a test builds by itself (``create_app()``, ``wsgi``) keeps its key and files in a temporary instance
    folder, never in ``./instance`` of the folder pytest runs from. Restored when the session ends."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOTCUA_INSTANCE", str(tmp_path_factory.mktemp("session-instance")))
        yield


@pytest.fixture(scope="session")
def motcua_plugins(pytestconfig) -> tuple[str, ...]:
    """Entry-point plugins the test apps load (ini option ``motcua_plugins``); override the fixture to choose."""
    return tuple(pytestconfig.getini("motcua_plugins"))


@pytest.fixture(scope="session")
def _schema(database_url, tmp_path_factory, motcua_plugins):
    """Create every table once per session (fresh: drop every table an earlier run left, whoever declared it)."""
    from sqlalchemy import MetaData

    from core import create_app
    from core.extensions import db

    instance = tmp_path_factory.mktemp("instance")
    app = create_app(_base_config(database_url, instance, motcua_plugins), instance_path=str(instance))
    with app.app_context():
        found = MetaData()
        found.reflect(bind=db.engine)
        found.drop_all(bind=db.engine)
        db.create_all()
        db.engine.dispose()
    return set(db.metadata.tables)


def _create_missing_tables(db, created: set) -> None:
    """Tables of a plugin that joined after the session's schema was built (a test that installs one)."""
    missing = [t for name, t in db.metadata.tables.items() if name not in created]
    if missing:
        db.metadata.create_all(bind=db.engine, tables=missing)
        created.update(t.name for t in missing)


def _base_config(database_url: str, instance, entry_point_plugins: tuple[str, ...] = ()) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_DIR": str(instance / "uploads"),
        "LOAD_ENTRYPOINT_PLUGINS": tuple(entry_point_plugins),
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
def app(request, database_url, _schema, tmp_path, motcua_plugins):
    from contextlib import ExitStack

    from core import create_app
    from core.config import installed_plugins
    from core.extensions import db

    config = _base_config(database_url, tmp_path, motcua_plugins)
    with ExitStack() as stack:
        added = []
        for marker in request.node.iter_markers("plugin"):
            hooks, info = marker.args
            stack.enter_context(registered_plugin(hooks, info))
            added.append(info.name)
        if added:
            config["INSTALLED_PLUGINS"] = (*installed_plugins(), *added)
        for marker in reversed(list(request.node.iter_markers("app_config"))):
            config.update(marker.kwargs)
        application = create_app(config, instance_path=str(tmp_path / "instance"))
        with application.app_context():
            _create_missing_tables(db, _schema)
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

    def desk(self, slug: str = "xa-test", plugins=None, client=None, **unit_kwargs) -> Desk:
        """A commune and its three officers ``<slug>.tiepnhan`` (reception), ``<slug>.chuyenvien`` (specialist) and
        ``<slug>.lanhdao`` (leader), as in the demo; ``unit_kwargs`` go to ``commune()`` (parent, settings...)."""
        self.commune(slug, plugins=plugins, **unit_kwargs)
        desk = Desk(factory=self, client=client or self.app.test_client(), slug=slug)
        for role, username in desk.officers.items():
            self.user(username, (role, slug))
        return desk

    def login(self, client, username: str, password: str = TEST_PASSWORD):
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code in (302, 303), f"login of {username} failed: {response.status_code}"
        return client

    def token(self, client, username: str, password: str = TEST_PASSWORD) -> dict:
        response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}


@pytest.fixture
def register_plugin(request, database_url, _schema, tmp_path, motcua_plugins):
    """``register_plugin(hooks, info, **settings)`` returns a new application with the in-memory plugin ``hooks``
    (``info``: its ``PluginInfo``) added to the usual ones, on the test's database, for a test that needs the plugin
    only part of the way (compare with the ``plugin`` marker, which adds it to ``app`` itself)."""
    from contextlib import ExitStack

    from core import create_app
    from core.config import installed_plugins
    from core.extensions import db

    built = []
    with ExitStack() as stack:
        def register(hooks, info, **settings):
            stack.enter_context(registered_plugin(hooks, info))
            config = _base_config(database_url, tmp_path, motcua_plugins)
            config["INSTALLED_PLUGINS"] = (*installed_plugins(), info.name)
            for marker in reversed(list(request.node.iter_markers("app_config"))):
                config.update(marker.kwargs)
            config.update(settings)
            application = create_app(config, instance_path=str(tmp_path / f"instance-{info.name}"))
            built.append(application)
            return application

        yield register
        for application in built:
            with application.app_context():
                db.session.remove()
                _empty_tables(db)
                db.engine.dispose()


SAMPLE_APPLICANT = {"full_name": "Phan Thị Hạnh", "id_number": "001190012345", "phone": "0987654321",
                    "address": "Thôn Bắc, xã Thử"}


@dataclass
class Desk:
    """One commune's counter seen through the JSON API: receive a dossier, act on it as one of its officers."""

    factory: Factory
    client: object
    slug: str
    tokens: dict = field(default_factory=dict)

    @property
    def officers(self) -> dict[str, str]:
        return {"reception": f"{self.slug}.tiepnhan", "specialist": f"{self.slug}.chuyenvien",
                "leader": f"{self.slug}.lanhdao"}

    def headers(self, who: str) -> dict:
        """Bearer headers of an officer, named by role (``"leader"``) or username."""
        username = self.officers.get(who, who)
        if username not in self.tokens:
            self.tokens[username] = self.factory.token(self.client, username)
        return self.tokens[username]

    def receive(self, procedure: str, data: dict, applicant: dict | None = None, channel: str = "counter",
                expect: int = 201, **extra):
        """POST the dossier at this unit's counter as its reception officer; returns the JSON answer."""
        body = {"procedure": procedure, "channel": channel, "applicant": applicant or SAMPLE_APPLICANT,
                "data": data, **extra}
        response = self.client.post(f"/api/v1/units/{self.slug}/dossiers", json=body,
                                    headers=self.headers("reception"))
        assert response.status_code == expect, response.get_json()
        return response.get_json()

    def act(self, code: str, who: str, action: str, expect: int = 200, **arguments):
        """POST ``action`` on dossier ``code`` as ``who`` (a role or a username); returns the JSON answer."""
        response = self.client.post(f"/api/v1/dossiers/{code}/actions", json={"action": action, **arguments},
                                    headers=self.headers(who))
        assert response.status_code == expect, response.get_json()
        return response.get_json()

    def to_result(self, code: str) -> dict:
        """assign to the specialist → submit_for_approval → approve by the leader; the dossier's JSON."""
        self.act(code, "reception", "assign", assignee=self.officers["specialist"])
        self.act(code, "specialist", "submit_for_approval")
        return self.act(code, "leader", "approve")


def dossier_by_code(code: str):
    """The ``Dossier`` row of ``code`` (inside ``with app.app_context():``)."""
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.extensions import db

    return db.session.scalar(select(Dossier).where(Dossier.code == code))


def render_document(app, code: str, key: str, pdf: bool = False):
    """Result document ``key`` of dossier ``code`` as printed: its HTML page, or the PDF's bytes with ``pdf=True``.
    Rendering builds URLs, so it runs in a request context (``app.test_request_context()``), not a bare app
    context."""
    from core.documents import build_document, render_html, render_pdf

    with app.test_request_context():
        document = build_document(dossier_by_code(code), key)
        assert document is not None, f"document {key} is not available for dossier {code}"
        return render_pdf(document) if pdf else render_html(document)


@pytest.fixture
def check_plugin_migrations(app, database_url, tmp_path):
    """``check_plugin_migrations("name")`` upgrades an empty scratch database to every head, compares the plugin's
    tables with its models as ``flask db check`` does, and downgrades its branch to nothing; it fails the test
    saying what differs (a model changed without a new revision)."""
    from core.plugins.migrations import MigrationError
    from core.plugins.migrations import check_plugin_migrations as check

    def run(plugin: str) -> None:
        with scratch_database_url(database_url, f"migrations_{plugin}", tmp_path / "migrations.sqlite") as url:
            try:
                check(app, plugin, url)
            except MigrationError as exc:
                pytest.fail(str(exc))

    return run


@pytest.fixture
def factory(app, request):
    marker = request.node.get_closest_marker("enabled_plugins")
    plugins = tuple(marker.args) if marker else tuple(app.extensions["motcua"].plugin_names())
    return Factory(app, plugins)


def pytest_addoption(parser):
    parser.addini("motcua_plugins", "entry-point plugins (motcua.plugins) that the test apps load", type="args",
                  default=[])


def pytest_configure(config):
    config.addinivalue_line("markers", "app_config(**settings): override application settings for a test")
    config.addinivalue_line("markers", "enabled_plugins(*names): plugins that factory.commune() enables")
    config.addinivalue_line("markers", "plugin(hooks, info): add an in-memory plugin to the test's app")
    # WTForms is pinned (requirements.txt) and core's forms still declare choices as tuples until 3.4 is adopted
    # (docs/decisions.md): a plugin's suite should not print core's deprecation notices.
    config.addinivalue_line("filterwarnings", "ignore:Passing SelectField choices as tuples:DeprecationWarning")


def vn_time(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0):
    """An aware datetime in Vietnam's time, for tests with controlled clocks."""
    from datetime import datetime

    from core.dossiers.clock import VN_TZ

    return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)


def add_plugin_folder(folder):
    """Make test-only plugins in ``folder`` importable as ``plugins.<name>`` (opt in with INSTALLED_PLUGINS).
    Returns a function that undoes it."""
    import plugins as plugins_package

    folder = str(folder)
    if folder not in plugins_package.__path__:
        plugins_package.__path__.append(folder)

    def undo() -> None:
        if folder in plugins_package.__path__:
            plugins_package.__path__.remove(folder)

    return undo


@contextmanager
def registered_plugin(hooks, info):
    """An in-memory plugin while the block runs: ``hooks`` (a module, class or object with ``@hookimpl``
    functions) under ``info`` (a ``PluginInfo``), importable as ``plugins.<info.name>``, with no package on disk.
    Enable it in an app with ``INSTALLED_PLUGINS``, or use the ``plugin`` marker, which does both."""
    import sys
    import tempfile
    import types

    name = f"plugins.{info.name}"
    if name in sys.modules:
        raise ValueError(f"A plugin named {info.name!r} already exists.")
    with tempfile.TemporaryDirectory() as folder:  # no templates, migrations or translations: an empty folder
        package = types.ModuleType(name)
        package.__path__ = []
        package.__file__ = os.path.join(folder, "__init__.py")
        package.INFO = info
        sys.modules[name] = package
        sys.modules[f"{name}.hooks"] = hooks
        try:
            yield package
        finally:
            sys.modules.pop(name, None)
            sys.modules.pop(f"{name}.hooks", None)


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
