"""Security headers on every response (SEC-09).

The pages load scripts only from their own static files (no inline script, no ``on…=`` handler, no ``javascript:``
link; tests/security/test_headers.py keeps the templates so), which lets the Content-Security-Policy refuse any
injected script. Styles may be inline: printed forms compute their page box and column widths per document.
Pages may not be framed by other sites (clickjacking); printable documents may be framed by the app itself (the
dossier page shows the receipt in an iframe). HSTS is sent in production only (``HSTS_SECONDS``), where the app is
served over HTTPS.
"""

from __future__ import annotations

from flask import Flask, request

_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
           "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
           "frame-src 'self'; frame-ancestors {ancestors}")
# Blueprints whose pages are shown inside the app's own frames.
FRAMED_BY_SELF = ("documents",)


def install(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        framed = request.blueprint in FRAMED_BY_SELF
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _POLICY.format(ancestors="'self'" if framed else "'none'"))
        headers.setdefault("X-Frame-Options", "SAMEORIGIN" if framed else "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        # Tracking links carry the dossier code; other sites need not learn them from the Referer header.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        seconds = app.config.get("HSTS_SECONDS") or 0
        if seconds:
            headers.setdefault("Strict-Transport-Security", f"max-age={int(seconds)}; includeSubDomains")
        return response
