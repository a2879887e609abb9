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


def _headers(framed: bool) -> tuple[tuple[str, str], ...]:
    return (
        ("Content-Security-Policy", _POLICY.format(ancestors="'self'" if framed else "'none'")),
        ("X-Frame-Options", "SAMEORIGIN" if framed else "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        # Tracking links carry the dossier code; other sites need not learn them from the Referer header.
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    )


# Built once: every answer carries them (issue 16: building and looking each up one by one was a fifth of an empty
# request's own work).
_FRAMED, _NOT_FRAMED = _headers(True), _headers(False)
_NAMES = frozenset(name.lower() for name, _value in _FRAMED) | {"strict-transport-security"}


def install(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        wanted = _FRAMED if request.blueprint in FRAMED_BY_SELF else _NOT_FRAMED
        seconds = app.config.get("HSTS_SECONDS") or 0
        if seconds:
            wanted += (("Strict-Transport-Security", f"max-age={int(seconds)}; includeSubDomains"),)
        # A view may have set one of them itself (a stricter policy): that one is kept.
        present = {name.lower() for name, _value in headers} & _NAMES
        for name, value in wanted:
            if not present or name.lower() not in present:
                headers.add(name, value)
        return response
