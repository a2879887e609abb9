"""Flask extensions, created unbound and bound in create_app (one instance per process, state per app)."""

from __future__ import annotations

from functools import cached_property

from flask import Flask, request
from flask.globals import _cv_app, request_ctx
from flask_babel import Babel, Domain, get_locale
from flask_babel import _get_current_context as _babel_state
from flask_babel import get_translations as _babel_translations
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from jinja2 import pass_eval_context
from markupsafe import Markup
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

    def get_translations(self):
        # Flask-Babel finds the request's catalogue anew for every string (the request's state, its locale, the
        # locale's name, the app's cache): ~26 times on the tracking page (issue 16). The request's Babel state keeps
        # it, for this domain and this locale object: force_locale sets another locale object and refresh() drops
        # it, so a changed language never finds the previous catalogue.
        state = _babel_state()
        if state is None:
            return super().get_translations()
        locale = get_locale()
        translations = _kept_translations(state, locale, self)
        if translations is None:
            translations = super().get_translations()
            setattr(state, _KEPT, (locale, self, translations))
        return translations


_KEPT = "motcua_translations"


def _kept_translations(state, locale, domain):
    """The catalogue the request's Babel ``state`` keeps, if it was kept for this locale object and domain."""
    kept = state.__dict__.get(_KEPT)
    return kept[2] if kept is not None and kept[0] is locale and kept[1] is domain else None


def _template_gettext(string: str) -> str:
    """Templates' ``_()``: the catalogue kept by _AppDomain.get_translations, found without Flask-Babel's three
    lookups of the request's state (each through ``flask.g``) when the request's domain and locale are the ones it
    was kept for."""
    app_ctx = _cv_app.get(None)
    state = app_ctx.g.__dict__.get("_flask_babel") if app_ctx is not None else None
    if state is not None:
        kept = _kept_translations(state, state.__dict__.get("babel_locale"), state.__dict__.get("babel_domain"))
        if kept is not None:
            return kept.ugettext(string)
    return _babel_translations().ugettext(string)


@pass_eval_context
def _template_underscore(eval_ctx, string: str, **variables) -> str:
    """Templates' ``_()`` as Jinja's newstyle gettext answers it (escaped, then %-formatted), in one call: Jinja's
    own looks ``gettext`` up in the template's context and calls it through the context a second time."""
    translated = _template_gettext(string)
    if eval_ctx.autoescape:
        translated = Markup(translated)
    # Newstyle gettext formats every string, even without variables ("%%" becomes "%"); one without "%" is unchanged.
    return translated % variables if variables or "%" in translated else translated


class _Babel(Babel):
    @cached_property
    def domain_instance(self):
        return _AppDomain(domain=self.domain)

    def init_app(self, app: Flask, *args, **kwargs) -> None:
        super().init_app(app, *args, **kwargs)
        if self._configure_jinja:
            app.jinja_env.install_gettext_callables(
                gettext=_template_gettext,
                ngettext=lambda s, p, n: _babel_translations().ungettext(s, p, n),
                newstyle=True,
                pgettext=lambda c, s: _babel_translations().upgettext(c, s),
                npgettext=lambda c, s, p, n: _babel_translations().unpgettext(c, s, p, n))
            app.jinja_env.globals["_"] = _template_underscore


def _hooks_added_by(app: Flask, init_app) -> dict[str, list]:
    """Run an extension's ``init_app`` and return the request hooks it would have added, without adding them: the
    caller adds cheaper ones that call them only when they have something to do (issue 16: every request paid for
    every extension's hooks, which did nothing on most of them)."""
    added = {"before_request": [], "after_request": [], "teardown_request": []}
    for kind, funcs in added.items():
        setattr(app, kind, lambda func, funcs=funcs: funcs.append(func) or func)  # shadows the method for the call
    try:
        init_app(app)
    finally:
        for kind in added:
            delattr(app, kind)
    return added


class _CSRFProtect(CSRFProtect):
    def init_app(self, app: Flask) -> None:
        hooks = _hooks_added_by(app, super().init_app)
        (check,) = hooks.pop("before_request")
        if any(hooks.values()):
            raise RuntimeError("Flask-WTF added request hooks this application does not know")

        @app.before_request
        def csrf_protect():
            # Flask-WTF's own hook returns at once for a GET, but only after its exemption lookups.
            if request.method in app.config["WTF_CSRF_METHODS"]:
                return check()
            return None


class _LoginManager(LoginManager):
    def init_app(self, app: Flask, add_context_processor: bool = True) -> None:
        hooks = _hooks_added_by(app, lambda a: super(_LoginManager, self).init_app(a, add_context_processor))
        (update_remember_cookie,) = hooks.pop("after_request")
        if any(hooks.values()):
            raise RuntimeError("Flask-Login added request hooks this application does not know")

        @app.after_request
        def remember_cookie(response):
            # Flask-Login's hook acts on a "_remember" mark in the session (set by login_user(remember=True) and
            # logout_user), or on every request with REMEMBER_COOKIE_REFRESH_EACH_REQUEST. Reading the session
            # through flask.session also marks it accessed, which adds "Vary: Cookie" to answers that never
            # depended on the cookie: read the request's own session object instead.
            if "_remember" in request_ctx._get_current_object()._session or \
                    app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
                return update_remember_cookie(response)
            return response


class _Limiter(Limiter):
    def init_app(self, app: Flask) -> None:
        hooks = _hooks_added_by(app, super().init_app)
        if not any(hooks.values()):  # this limiter was already bound to the app
            return
        (check,), (add_headers,), (release,) = (hooks[kind] for kind in ("before_request", "after_request",
                                                                         "teardown_request"))

        @app.before_request
        def check_application_limits():
            # The limits of a decorated view are checked by its decorator; before the view, Flask-Limiter checks only
            # application-wide, default, blueprint and meta limits. This application sets none unless a deployment
            # configures them (RATELIMIT_DEFAULT, RATELIMIT_APPLICATION, RATELIMIT_META,
            # RATELIMIT_IN_MEMORY_FALLBACK).
            if self._applies_to_every_request():
                return check()
            return None

        # Flask-Limiter's after-request hook both deducts the hits of limits counted on the answer (deduct_when:
        # failed logins) and writes the limit headers.
        deduct = getattr(self, "_Limiter__check_conditional_deductions", None)
        if deduct is None:
            raise RuntimeError("Flask-Limiter no longer deducts where this application expects")

        @app.after_request
        def add_limit_headers(response):
            # Only a refused request is told its limit and when to retry (docs/api.md): on any other answer the
            # headers cost a second round trip to the limit storage (Redis), to read the window's reset time.
            if not _limiter_was_used():
                return response
            if response.status_code == 429:
                return add_headers(response)
            deduct(response)
            return response

        @app.teardown_request
        def release_limiter_context(exc=None):
            if _limiter_was_used():
                release(exc)

    def _applies_to_every_request(self) -> bool:
        manager = self.limit_manager
        # An attribute a later Flask-Limiter would not have counts as "some limit applies": never fewer checks.
        return any(getattr(owner, name, True) for owner, name in (
            (manager, "_application_limits"), (manager, "_default_limits"), (manager, "_blueprint_limits"),
            (self, "_meta_limits"), (self, "_in_memory_fallback")))


def _limiter_was_used() -> bool:
    # Flask-Limiter keeps its per-request state on the request context, created on the first check.
    return hasattr(request_ctx._get_current_object(), "_limiter_request_context")


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = _LoginManager()
csrf = _CSRFProtect()
babel = _Babel()
limiter = _Limiter(key_func=get_remote_address, default_limits=[])


def configured_limit(setting: str):
    """A rate limit read from the app's config when a request comes (tests and deployments set their own)."""
    from flask import current_app

    return lambda: current_app.config[setting]


def tracking_limit(**kwargs):
    """One budget per client address for every lookup that confirms a dossier code with a phone number (the API's
    tracking, rating and withdrawal, and the portal's pages): six separate counters gave six times the guesses
    (SEC-12)."""
    return limiter.shared_limit(configured_limit("TRACK_RATE_LIMIT"), scope="tracking", **kwargs)
