"""Over-long URLs answer 414 with the documented error body under /api (the error page elsewhere), SEC-18.

gunicorn (gunicorn.conf.py) and nginx (deploy/nginx.conf) let request lines up to 8 KB through; the application
refuses a path and query longer than ``MAX_URL_BYTES`` itself, so the answer is JSON and in the reader's language
instead of the server's English HTML. No endpoint needs anything near this length.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import RequestURITooLarge

MAX_URL_BYTES = 4096


def _url_bytes() -> int:
    # WSGI strings are latin-1: one character per byte of the request line.
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return len(raw)
    query = environ.get("QUERY_STRING", "")
    return len(environ.get("PATH_INFO", "")) + (len(query) + 1 if query else 0)


def _check_length() -> None:
    if _url_bytes() > MAX_URL_BYTES:
        raise RequestURITooLarge()


def install(app: Flask) -> None:
    """Call first: the check runs before anything reads the query or the body."""
    app.before_request(_check_length)
