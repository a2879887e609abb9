"""A stand-in for the national portal's receiving side, for tests and for trying the sync offline.

It checks each payload against the documented schema (core.national_portal.schema), records the accepted ones in
memory and, when given a file, in SQLite (so the record outlives the process), and can be told to fail:

- ``POST /`` (or any path but ``/_simulator/…``): one payload. 200 ``{"ok": true}`` when accepted; 422 with
  ``{"errors": [...]}`` when it breaks the schema; 401 when a token or username is required and missing.
- ``GET /_simulator/records``: ``{"records": [{"received_at", "payload"}, ...], "count"}`` in arrival order.
- ``POST /_simulator/mode`` ``{"mode": "ok"|"error"|"timeout"|"reject", "delay": seconds}``: "error" answers 503,
  "timeout" waits ``delay`` seconds (default 5) then answers 504, "reject" answers 422 whatever the payload; none of
  them records anything. ``GET /_simulator/mode`` reads it.
- ``POST /_simulator/reset``: forget the records and go back to "ok".

Run it with ``flask national-portal simulate --port N`` and point ``NATIONAL_PORTAL_URL`` at ``http://127.0.0.1:N/``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from datetime import UTC, datetime

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from core.national_portal.schema import schema_errors

MODES = ("ok", "error", "timeout", "reject")


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


class Simulator:
    """The WSGI application; one instance is one portal (its records, its mode)."""

    def __init__(self, record_file: str | None = None, token: str = "", username: str = "", password: str = ""):
        self.lock = threading.Lock()
        self.records: list[dict] = []
        self.mode, self.delay = "ok", 5.0
        self.token, self.username, self.password = token, username, password
        self.record_file = record_file
        if record_file:
            with sqlite3.connect(record_file) as conn:
                conn.execute("CREATE TABLE IF NOT EXISTS records "
                             "(id INTEGER PRIMARY KEY, received_at TEXT, payload TEXT)")
                self.records = [{"received_at": at, "payload": json.loads(body)}
                                for at, body in conn.execute("SELECT received_at, payload FROM records ORDER BY id")]

    # --- control ------------------------------------------------------------------------------------------------
    def set_mode(self, mode: str, delay: float | None = None) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        with self.lock:
            self.mode = mode
            if delay is not None:
                self.delay = float(delay)

    def reset(self) -> None:
        with self.lock:
            self.records, self.mode = [], "ok"
            if self.record_file:
                with sqlite3.connect(self.record_file) as conn:
                    conn.execute("DELETE FROM records")

    def _record(self, payload: dict) -> None:
        entry = {"received_at": datetime.now(UTC).isoformat(), "payload": payload}
        with self.lock:
            self.records.append(entry)
            if self.record_file:
                with sqlite3.connect(self.record_file) as conn:
                    conn.execute("INSERT INTO records (received_at, payload) VALUES (?, ?)",
                                 (entry["received_at"], json.dumps(payload, ensure_ascii=False)))

    # --- HTTP ---------------------------------------------------------------------------------------------------
    def _authorised(self, request: Request) -> bool:
        if self.token:
            return request.headers.get("Authorization") == f"Bearer {self.token}"
        if self.username:
            auth = request.authorization
            return bool(auth and auth.username == self.username and auth.password == self.password)
        return True

    def _control(self, request: Request) -> Response:
        if request.path == "/_simulator/records" and request.method == "GET":
            with self.lock:
                records = list(self.records)
            return _json({"records": records, "count": len(records)})
        if request.path == "/_simulator/mode" and request.method == "GET":
            return _json({"mode": self.mode, "delay": self.delay})
        if request.path == "/_simulator/mode" and request.method == "POST":
            body = request.get_json(silent=True) or {}
            try:
                self.set_mode(body.get("mode"), body.get("delay"))
            except (TypeError, ValueError):
                return _json({"error": f"mode must be one of {', '.join(MODES)}"}, 400)
            return _json({"mode": self.mode, "delay": self.delay})
        if request.path == "/_simulator/reset" and request.method == "POST":
            self.reset()
            return _json({"mode": self.mode})
        return _json({"error": "not found"}, 404)

    def _receive(self, request: Request) -> Response:
        if request.method != "POST":
            return _json({"error": "POST a payload"}, 405)
        if not self._authorised(request):
            return _json({"error": "unauthorised"}, 401)
        mode, delay = self.mode, self.delay
        if mode == "error":
            return _json({"error": "simulated outage"}, 503)
        if mode == "timeout":
            time.sleep(delay)
            return _json({"error": "simulated timeout"}, 504)
        if mode == "reject":
            return _json({"errors": ["simulated rejection"]}, 422)
        payload = request.get_json(silent=True)
        if payload is None:
            return _json({"errors": ["the body is not JSON"]}, 400)
        errors = schema_errors(payload)
        if errors:
            return _json({"errors": errors}, 422)
        self._record(payload)
        return _json({"ok": True})

    def __call__(self, environ, start_response):
        request = Request(environ)
        if request.path.startswith("/_simulator/"):
            response = self._control(request)
        else:
            response = self._receive(request)
        return response(environ, start_response)


class RunningSimulator:
    """A simulator served on a thread (tests): ``url``, ``app`` (the Simulator), ``stop()``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options):
        self.app = Simulator(**options)
        self.server = make_server(host, port, self.app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
