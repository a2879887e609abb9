"""SEC-14: while the database is unreachable, pages and the API answer 503 with Retry-After and a Vietnamese message,
log one line per failure (no traceback), /healthz names the failed dependency, and all recovers by itself."""

from __future__ import annotations

import logging

import pytest

from core import create_app
from core.extensions import db

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-motcua-folder/deeper/motcua.sqlite",
    "postgresql": "postgresql+psycopg://motcua:motcua@127.0.0.1:1/motcua?connect_timeout=2",
}


def _app(url: str, tmp_path, monkeypatch, **extra):
    monkeypatch.setenv("MOTCUA_INSTANCE", str(tmp_path / "instance"))
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key", "TESTING": True,
                       "WTF_CSRF_ENABLED": False, "UPLOAD_DIR": str(tmp_path / "uploads"), **extra})


def _assert_503_json(response):
    assert response.status_code == 503
    # At least our 30 s; a throttled endpoint's limiter may announce its own, later, window.
    assert int(response.headers["Retry-After"]) >= 29  # the limiter rounds down
    error = response.get_json()["error"]
    assert error["code"] == "service_unavailable"
    assert "cơ sở dữ liệu" in error["message"]
    assert error["fields"] == {}


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
def test_api_and_pages_answer_503_with_one_log_line_each(kind, tmp_path, monkeypatch, caplog):
    app = _app(UNREACHABLE[kind], tmp_path, monkeypatch)
    client = app.test_client()
    caplog.set_level(logging.INFO)

    _assert_503_json(client.get("/api/v1/units"))
    _assert_503_json(client.post("/api/v1/units/xa-a/dossiers", json={"procedure": "x", "channel": "online"}))
    _assert_503_json(client.post("/api/v1/auth/token", json={"username": "a", "password": "b"}))

    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "Hệ thống tạm thời gián đoạn" in html and "cơ sở dữ liệu" in html
    assert "Internal Server Error" not in html

    english = client.get("/api/v1/units", headers={"Accept-Language": "en"})
    assert english.status_code == 503
    assert "database" in english.get_json()["error"]["message"]

    failures = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(failures) == 5
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in failures)
    assert not [r for r in caplog.records if r.exc_info]


def test_a_logged_in_officer_page_answers_503_not_a_second_fault(tmp_path, monkeypatch, client, factory):
    factory.commune("xa-a")
    factory.user("a.tiepnhan", ("reception", "xa-a"))
    factory.login(client, "a.tiepnhan")
    cookie = client.get_cookie("session")
    assert cookie is not None

    broken = _app(UNREACHABLE["sqlite"], tmp_path, monkeypatch).test_client()
    # Same SECRET_KEY: the session names the officer, whose row is now out of reach.
    broken.set_cookie("session", cookie.value)
    page = broken.get("/xa-a/")
    assert page.status_code == 503
    assert "Hệ thống tạm thời gián đoạn" in page.get_data(as_text=True)


@pytest.mark.parametrize("kind", sorted(UNREACHABLE))
def test_healthz_names_the_failed_dependency(kind, tmp_path, monkeypatch):
    client = _app(UNREACHABLE[kind], tmp_path, monkeypatch).test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "checks": {"database": "unavailable", "uploads": "ok"},
                                   "failed": ["database"]}


def test_healthz_names_an_unwritable_upload_folder(client, tmp_path, app):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app.config["UPLOAD_DIR"] = str(blocker / "uploads")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["uploads"]


def test_recovers_by_itself_when_the_database_comes_back(tmp_path, monkeypatch):
    folder = tmp_path / "not-yet"
    app = _app(f"sqlite:///{folder / 'motcua.sqlite'}", tmp_path, monkeypatch)
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    _assert_503_json(client.get("/api/v1/units"))

    folder.mkdir()  # the database comes back: no restart, no reset
    with app.app_context():
        db.create_all()
    assert client.get("/healthz").get_json()["status"] == "ok"
    response = client.get("/api/v1/units")
    assert response.status_code == 200
    assert response.get_json() == {"units": []}


class _Proxy:
    """A TCP relay to PostgreSQL that the test can cut and restore: a database outage without stopping the server."""

    def __init__(self, host: str, port: int):
        self.upstream = (host, port)
        self.port = 0
        self.sockets: list = []
        self.listener = None

    def start(self) -> None:
        import socket
        import threading

        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        import socket
        import threading

        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, target) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.close()
                except OSError:
                    pass

    def stop(self) -> None:
        import socket

        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread, which else keeps it listening
        except OSError:
            pass
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets = []


def test_postgresql_outage_and_recovery_without_a_restart(database_url, _schema, tmp_path, monkeypatch):
    from sqlalchemy.engine import make_url

    if not database_url.startswith("postgresql"):
        pytest.skip("the relay cuts a TCP connection: PostgreSQL only (SQLite's recovery is tested above)")
    url = make_url(database_url)
    proxy = _Proxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    app = _app(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), tmp_path,
               monkeypatch)
    client = app.test_client()
    try:
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/units").status_code == 200

        proxy.stop()  # the database goes away under a pooled connection
        _assert_503_json(client.get("/api/v1/units"))
        assert client.get("/healthz").get_json()["failed"] == ["database"]

        proxy.start()  # it comes back on the same address: no restart of the application
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/units").status_code == 200
    finally:
        proxy.stop()
        with app.app_context():
            db.engine.dispose()


def _spy_pings(app, monkeypatch) -> list:
    with app.app_context():
        dialect = db.engine.dialect
    pings: list = []
    real = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: pings.append(1) or real(connection))
    return pings


def test_healthz_is_one_round_trip(app, client, monkeypatch):
    from core.sqlcount import counting

    client.get("/healthz")  # a connection in the pool, as in a running worker
    pings = _spy_pings(app, monkeypatch)
    with app.app_context():
        engine = db.engine
    with counting(engine) as counts:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["checks"]["database"] == "ok"
    # The driver's ping outside a transaction: no BEGIN before it, no query after, one connection.
    assert counts.statements == [] and counts.checkouts == 1 and len(pings) == 1


@pytest.mark.parametrize("idle_seconds, expected", [(3600, 0), (0, 1)])
def test_only_a_connection_that_sat_idle_is_pinged(idle_seconds, expected, tmp_path, monkeypatch, database_url,
                                                   _schema):
    from core.sqlcount import counting

    app = _app(database_url, tmp_path, monkeypatch, DB_IDLE_PING_SECONDS=idle_seconds)
    client = app.test_client()
    try:
        assert client.get("/api/v1/units").status_code == 200
        pings = _spy_pings(app, monkeypatch)
        with app.app_context():
            engine = db.engine
        with counting(engine) as counts:
            assert client.get("/api/v1/units").status_code == 200
        assert counts.checkouts == 1 and counts.pings == expected and len(pings) == expected
    finally:
        with app.app_context():
            db.engine.dispose()


def test_postgresql_silent_restart_costs_no_failed_request(database_url, _schema, tmp_path, monkeypatch):
    """The server goes away and comes back while no request comes: the pooled connection is dead, its idle ping
    finds out, and the pool opens a fresh one — the first request after succeeds (SEC-14, without pre-ping)."""
    from sqlalchemy.engine import make_url

    if not database_url.startswith("postgresql"):
        pytest.skip("the relay cuts a TCP connection: PostgreSQL only")
    url = make_url(database_url)
    proxy = _Proxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    app = _app(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), tmp_path,
               monkeypatch, DB_IDLE_PING_SECONDS=0)
    client = app.test_client()
    try:
        assert client.get("/api/v1/units").status_code == 200
        proxy.stop()
        proxy.start()
        assert client.get("/api/v1/units").status_code == 200
        proxy.stop()
        proxy.start()
        assert client.get("/healthz").status_code == 200
    finally:
        proxy.stop()
        with app.app_context():
            db.engine.dispose()
