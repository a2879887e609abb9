"""Blueprints and error pages. Each page area exposes ``register(app)``."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from core import api
from core.admin import views as admin_views
from core.citizens import views as citizens_views
from core.documents import views as documents_views
from core.dossiers import api as dossiers_api  # noqa: F401  (its routes join the shared API blueprint)
from core.extensions import csrf, db
from core.officer import reuse as reuse_views
from core.officer import views as officer_views
from core.openapi import views as openapi_views
from core.payments import api as payments_api  # noqa: F401  (its routes join the shared API blueprint)
from core.payments import views as payments_views
from core.portal import views as portal_views
from core.reports import views as reports_views
from core.results import views as results_views

# Areas that add pages. Order matters only for URL rules that could overlap: specific first, the officer area
# (/<unit_slug>/...) last.
AREAS = (documents_views, reports_views, admin_views, portal_views, citizens_views, results_views,
         openapi_views, reuse_views, payments_views, officer_views)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path in ("/healthz", "/livez")


def register_web(app: Flask) -> None:
    from core.api.errors import http_error_response
    from core.users.views import bp as users_bp

    api.load_routes()
    for area in AREAS:
        area.register(app)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # the API authenticates with bearer tokens; cookies are SameSite=Lax
    app.register_blueprint(users_bp)
    from core import template_urls

    template_urls.install(app)

    from core import unavailable

    unavailable.register(app)  # a database outage answers 503, before the catch-all 500 below

    from core.extensions import limiter

    @app.get("/healthz")
    @limiter.exempt  # no limit applies: skip the limiter's bookkeeping on the probe a load balancer repeats
    def healthz():
        body, status = unavailable.health()
        return jsonify(body), status

    @app.get("/livez")
    @limiter.exempt
    def livez():
        # Liveness for a load balancer or supervisor: the process serves requests. No dependency is asked (that is
        # /healthz), so a database outage does not get every node restarted; also the bench's empty route (issue 16).
        return jsonify(status="ok")

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        if _wants_json():
            return http_error_response(exc)
        return render_template("errors/error.html", error=exc), exc.code

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        app.logger.exception("Unhandled error")
        db.session.rollback()
        if _wants_json():
            from core.api.errors import error_response

            return error_response(500, "server_error", "Lỗi máy chủ.")
        return render_template("errors/error.html", error=None), 500

    from core.plugins.types import translate

    # Names kept in Vietnamese in the data (procedures, fields) are shown in the reader's language with |translate.
    app.add_template_filter(translate, "translate")
    from core.catalog.fields import vn_number

    # Numbers on printed Vietnamese documents: "152,5", "1.525,5" (the decimal comma).
    app.add_template_filter(vn_number, "vn_number")

    @app.context_processor
    def inject_globals():
        from flask_babel import get_locale

        return {"current_locale": str(get_locale())}
