"""gunicorn settings shared by `make run` and the reference deployment (deploy/): `gunicorn -c gunicorn.conf.py`.

Command-line options (--bind, --workers) override what is set here.

- No ``Server`` header: gunicorn always sends ``Server: gunicorn``, which only helps an attacker pick exploits (SEC-18).
- Over-long request lines: gunicorn refuses them itself with an English HTML page, although every ``/api`` answer
  is documented as JSON (SEC-18). The limit is raised to gunicorn's maximum so that the application sees URLs up
  to 8 KB and answers those over ``core.request_limits.MAX_URL_BYTES`` with the documented error body (414); beyond
  gunicorn's maximum, gunicorn's own errors are written as that JSON body too. Behind nginx, nginx answers first
  (deploy/nginx.conf).
"""

from __future__ import annotations

import json

from gunicorn import util
from gunicorn.http import wsgi

limit_request_line = 8190  # gunicorn's maximum; the application's own limit is lower (core.request_limits)
# gunicorn's control interface is not used, and its socket has one default path per user: several masters on one
# host (nodes of a province on one machine, the bench's three servers) would take each other's socket.
control_socket_disable = True

_default_headers = wsgi.Response.default_headers


def _without_server_header(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


# gunicorn's messages for the requests it refuses before the application runs (malformed or over-long request
# line or headers). No request context exists there, so the text is the default language's.
_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    414: ("uri_too_long", "Địa chỉ yêu cầu quá dài."),
    431: ("headers_too_large", "Phần đầu yêu cầu quá lớn."),
}


def _write_json_error(sock, status_int, reason, mesg):
    code, message = _MESSAGES.get(status_int, ("bad_request", "Yêu cầu không hợp lệ."))
    body = json.dumps({"error": {"code": code, "message": message, "fields": {}}}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode("latin-1")
    util.write_nonblock(sock, head + body)


# Read in the master before workers fork, so every worker inherits both.
wsgi.Response.default_headers = _without_server_header
util.write_error = _write_json_error
