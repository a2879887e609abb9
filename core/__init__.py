"""Một Cửa: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, request, session


class App(Flask):
    """Flask, minus a cost paid on every request for nothing (issue 16)."""

    _SYNC_CACHE_LIMIT = 2048  # hooks and views are a few hundred; one-off callables are not kept beyond this

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync_funcs: dict = {}

    def ensure_sync(self, func):
        # Flask asks inspect.iscoroutinefunction about every hook and view of every request (eleven times for an
        # empty route); the answer for a given function never changes.
        cache = self._sync_funcs
        try:
            return cache[func]
        except KeyError:
            result = super().ensure_sync(func)
            if len(cache) < self._SYNC_CACHE_LIMIT:
                cache[func] = result
            return result
        except TypeError:  # an unhashable callable
            return super().ensure_sync(func)


def create_app(config: dict | None = None, instance_path: str | None = None) -> App:
    """Build the application. ``config`` overrides settings read from the environment (tests pass their own); a
    ``SECRET_KEY`` given there means no key file is generated. ``instance_path`` (else ``MOTCUA_INSTANCE``, else
    ``./instance``) holds the development database, key and uploads."""
    from core.paths import project_folder

    app = App(
        __name__,
        instance_path=instance_path or os.environ.get("MOTCUA_INSTANCE") or os.path.join(os.getcwd(), "instance"),
        instance_relative_config=True,
        template_folder=str(project_folder("templates")),
        static_folder="static",
    )
    from core.config import check_settings, load_config

    app.config.update(load_config(app.instance_path, secret_key=(config or {}).get("SECRET_KEY")))
    if config:
        app.config.update(config)
    check_settings(app.config)

    if app.config["PROXY_COUNT"]:
        # Behind nginx the client address comes from X-Forwarded-For; rate limits must see it, not the proxy's.
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    from core import hygiene, request_limits, sessions

    sessions.install(app)

    request_limits.install(app)
    hygiene.install(app)  # first: its URL converter must be in place before any route is added
    _init_extensions(app)
    _init_models()
    _init_plugins(app)
    _register_blueprints(app)
    _register_cli(app)
    from core import security_headers
    from core.accesslog import record

    security_headers.install(app)
    record.install(app)
    return app


def _select_locale() -> str:
    from flask import current_app, has_request_context

    if not has_request_context():  # CLI, workers, services run from scripts: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in languages:
        return session["lang"]
    if request.path.startswith("/api/"):
        # Integrators choose the language of a JSON answer with the standard header (docs/api.md); pages are
        # Vietnamese first whatever the browser says, and English only on request (?lang=en, remembered).
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _version_locations(config):
    """One Alembic environment, several branches: core's revisions in migrations/versions (branch "core"), each
    plugin's in plugins/<name>/migrations (branch "<name>"). Deploy with `flask db upgrade heads`."""
    from flask import current_app

    from core.paths import project_folder

    folders = [str(project_folder("migrations") / "versions")]
    for loaded in current_app.extensions["motcua"].plugins.values():
        folder = os.path.join(os.path.dirname(loaded.package.__file__), "migrations")
        if os.path.isdir(folder):
            folders.append(folder)
    config.set_main_option("version_locations", os.pathsep.join(folders))
    return config


def _init_extensions(app: Flask) -> None:
    from core.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    from core.paths import project_folder

    migrate.init_app(app, db, directory=str(project_folder("migrations")), render_as_batch=True, compare_type=True)
    if _version_locations not in migrate.configure_callbacks:  # one Migrate per process, many apps in tests
        migrate.configure(_version_locations)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(project_folder("translations")))
    limiter.init_app(app)
    from core.users import auth

    auth.init_login(app)
    from core.dbping import install_idle_ping, install_libpq_ping
    from core.dbutil import install_sqlite_tuning
    from core.read_commit import install_read_commit

    with app.app_context():
        install_sqlite_tuning(db.engine)
        install_read_commit(app, db.engine)
        install_libpq_ping(db.engine)
        if not app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("pool_pre_ping"):
            install_idle_ping(db.engine, float(app.config.get("DB_IDLE_PING_SECONDS", 10)))


def _init_models() -> None:
    # Import every model module so metadata is complete for create_all and Alembic.
    import core.accesslog.models  # noqa: F401
    import core.catalog.models  # noqa: F401
    import core.citizens.models  # noqa: F401
    import core.dossiers.models  # noqa: F401
    import core.dossiers.reused  # noqa: F401
    import core.notifications.models  # noqa: F401
    import core.payments.models  # noqa: F401
    import core.reports.models  # noqa: F401
    import core.tenancy.models  # noqa: F401
    import core.users.models  # noqa: F401
    from core.audit_guard import install
    from core.extensions import db
    from core.reports import aggregate

    install(db.metadata)
    aggregate.install(db.session)


def _init_plugins(app: Flask) -> None:
    from core.plugins.manager import PluginHost

    host = PluginHost()
    if app.config.get("TRACE_PLUGINS"):
        host.trace()
    host.load(tuple(app.config["INSTALLED_PLUGINS"]), app.config["LOAD_ENTRYPOINT_PLUGINS"])
    app.extensions["motcua"] = host
    host.collect(app)
    _add_plugin_translations(app, host)


def _add_plugin_translations(app: Flask, host) -> None:
    """A plugin's ``translations/`` folder (``<lang>/LC_MESSAGES/messages.mo``) joins the catalogue. Core's folder
    stays last so that its entries win: a plugin cannot change the wording of core's pages."""
    folders = [str(Path(loaded.package.__file__).parent / "translations") for loaded in host.plugins.values()]
    babel_config = app.extensions["babel"]
    babel_config.translation_directories[:0] = [f for f in folders if os.path.isdir(f)]


def _register_blueprints(app: Flask) -> None:
    from core.web import register_web

    register_web(app)
    app.extensions["motcua"].refuse_core_segments(app)


def _register_cli(app: Flask) -> None:
    from core.cli import register_cli

    register_cli(app)
