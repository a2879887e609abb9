"""Real services for the deployment tests: a private redis-server, gunicorn nodes and nginx on free ports.

A service that is not installed skips the test with the reason on a developer's machine, and fails it under CI
(CI=true), where scripts/install_system_deps.sh installs everything.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def missing(reason: str):
    """Skip, or fail under CI where the service must be there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI installs it: scripts/install_system_deps.sh)")
    pytest.skip(reason)


def need(binary: str, package: str) -> str:
    path = shutil.which(binary) or next((p for p in (f"/usr/sbin/{binary}", f"/usr/bin/{binary}")
                                         if os.access(p, os.X_OK)), None)
    if path is None:
        missing(f"{binary} is not installed (Debian package {package})")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, timeout: float, what: str, process: subprocess.Popen | None = None, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            break
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    detail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"{what} did not start\n{detail}")


def http_status(port: int, path: str, timeout: float = 2.0) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server(folder: Path):
    """A private redis-server (no persistence) on a free port; yields its URL."""
    binary = need("redis-server", "redis-server")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "redis.log"
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(folder), "--logfile", str(log)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def ping() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    try:
        wait_until(ping, 10, "redis-server", process, log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(process)


def node_env(database_url: str, folder: Path, **settings: str) -> dict:
    """The environment of an application node: the test database, its own instance folder, ``settings``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "MOTCUA_"))}
    env.update({"DATABASE_URL": database_url, "SECRET_KEY": "two-nodes-test-key", "PYTHONPATH": str(ROOT),
                "MOTCUA_INSTANCE": str(folder / "instance"), "UPLOAD_DIR": str(folder / "uploads")})
    env.update(settings)
    return env


@contextmanager
def gunicorn_nodes(env: dict, folder: Path, names: tuple[str, ...], workers: int = 1):
    """Application nodes started side by side: gunicorn with the project's gunicorn.conf.py, each on a free port;
    yields their ports once every one answers."""
    folder.mkdir(parents=True, exist_ok=True)
    started = []
    try:
        for name in names:
            port = free_port()
            with (folder / f"{name}.log").open("ab") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind",
                     f"127.0.0.1:{port}", "--workers", str(workers), "--graceful-timeout", "2", "--chdir", str(ROOT),
                     "wsgi:app"],
                    env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
            started.append((name, port, process))
        for name, port, process in started:
            wait_until(lambda port=port: http_status(port, "/healthz") == 200, 40, f"gunicorn node {name}", process,
                       folder / f"{name}.log")
        yield [port for _name, port, _process in started]
    finally:
        for _name, _port, process in started:
            stop(process)


@contextmanager
def gunicorn_node(env: dict, folder: Path, name: str, workers: int = 1):
    """One application node; yields its port."""
    with gunicorn_nodes(env, folder, (name,), workers) as (port,):
        yield port


def call(port: int, method: str, path: str, json_body=None, headers: dict | None = None, body: bytes | None = None,
         timeout: float = 30) -> tuple[int, dict, bytes]:
    """One HTTP request; returns (status, headers with lower-case names, body)."""
    import json

    headers = dict(headers or {})
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers.setdefault("Content-Type", "application/json")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@contextmanager
def moto_s3(folder: Path):
    """A local S3-compatible server (moto's, pinned in requirements-test.txt) on a free port; yields its URL."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        missing("moto[server] is not installed (pip install -r requirements-test.txt)")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "moto.log"
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: http_status(port, "/moto-api/") == 200, 30, "moto S3 server", process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
