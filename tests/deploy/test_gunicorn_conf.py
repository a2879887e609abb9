"""SEC-18 through gunicorn.conf.py (used by `make run` and deploy/): no Server header, JSON for over-long URLs; no
control socket, whose one path per user several masters on a host would share."""

from __future__ import annotations

import json
import socket

from tests.deploy.services import call, gunicorn_node, node_env


def _raw(port: int, request_line: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request_line + b"\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_gunicorn_sends_no_server_header_and_answers_long_urls_in_json(app, database_url, tmp_path):
    home = {"HOME": str(tmp_path / "home"), "XDG_RUNTIME_DIR": str(tmp_path / "run")}  # where gunicorn puts it
    with gunicorn_node(node_env(database_url, tmp_path, **home), tmp_path, "node") as port:
        assert not list(tmp_path.rglob("*.ctl"))

        status, headers, _body = call(port, "GET", "/healthz")
        assert status == 200 and "server" not in headers

        # Longer than the application's limit: the application's JSON 414, in the reader's language.
        status, headers, body = call(port, "GET", "/api/v1/units?q=" + "a" * 5000, headers={"Accept-Language": "en"})
        assert status == 414 and headers["content-type"] == "application/json" and "server" not in headers
        assert json.loads(body) == {"error": {"code": "uri_too_long", "message": "The request address is too long.",
                                              "fields": {}}}

        # Longer than gunicorn's own maximum: gunicorn refuses it before the application, with the same body.
        answer = _raw(port, b"GET /api/v1/units?q=" + b"a" * 9000 + b" HTTP/1.1")
        head, _sep, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 414 ") and b"server:" not in head.lower()
        assert b"content-type: application/json" in head.lower()
        assert json.loads(body) == {"error": {"code": "uri_too_long", "message": "Địa chỉ yêu cầu quá dài.",
                                              "fields": {}}}

        # A malformed request line is refused by gunicorn in JSON as well, never its HTML.
        head, _sep, body = _raw(port, b"GET /healthz HTTP/9.9 extra").partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400 ") and json.loads(body)["error"]["code"] == "bad_request"
