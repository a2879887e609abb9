"""Issue 14 item 5, the two-node check: the reference deployment (deploy/) on one machine, driven as clients would.

Redis, two gunicorn nodes on the test PostgreSQL database storing scans in an S3-compatible bucket (moto's server,
STORAGE_BACKEND=s3 as in deploy/motcua.env.example), nginx with deploy/nginx/motcua-proxy.conf balancing over them,
and two outbox workers posting SMS to a fake gateway. Officers
receive dossiers concurrently through nginx, each with its own Idempotency-Key and retrying on a cut answer as
docs/api.md says, and attach a scan to each; one node is killed (SIGKILL, the whole process group) in the middle.

Checks: every reception is there exactly once (no duplicate, none lost); the login throttle counted failures
served by both nodes as one budget; every scan is readable from either node (the killed one restarted); each
receipt SMS was sent exactly once by the two workers together.
"""

from __future__ import annotations

import hashlib
import json
import os
import pwd
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.testing import TEST_PASSWORD
from tests.deploy.services import (
    ROOT,
    call,
    free_port,
    http_status,
    moto_s3,
    need,
    node_env,
    redis_server,
    stop,
    wait_until,
)
from tests.web.helpers import BIRTH, birth_data

RECEPTIONS = 24
OFFICERS = ("a.tn1", "a.tn2", "a.tn3", "a.tn4")
KILL_AFTER = 8  # receptions answered before node A dies
LOGIN_BUDGET = 5
RETRYABLE = (502, 503, 504)


def pdf(n: int) -> bytes:
    return b"%PDF-1.4\n% scan " + str(n).encode() + b"\n%%EOF\n"


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the two-node check needs PostgreSQL (TEST_DATABASE_URL): SQLite is one process's database")
    return database_url


def start_nodes(stack: ExitStack, env: dict, folder: Path, names: dict[str, int | None]) -> dict:
    """gunicorn nodes (2 workers each), started side by side, each in its own process group so that killing it
    kills its workers too; returns {name: (port, process)} once every one answers, and stops them with ``stack``."""
    started = {}
    for name, port in names.items():
        port = port or free_port()
        with (folder / f"{name}.log").open("ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind",
                 f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", str(folder / f"{name}.access.log"),
                 "wsgi:app"],
                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        stack.callback(_stop_group, process)
        started[name] = (port, process)
    for name, (port, process) in started.items():
        wait_until(lambda port=port: http_status(port, "/healthz") == 200, 60, f"node {name}", process,
                   folder / f"{name}.log")
    return started


def _stop_group(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def nginx(folder: Path, upstreams: list[int]):
    """nginx with the reference proxy settings (deploy/nginx/motcua-proxy.conf) in front of ``upstreams``."""
    binary = need("nginx", "nginx")
    port = free_port()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in upstreams)
    conf = folder / "nginx.conf"
    conf.write_text(f"""
user {pwd.getpwuid(os.getuid()).pw_name};
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream motcua {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        include {ROOT}/deploy/nginx/motcua-proxy.conf;
    }}
}}
""")
    process = subprocess.Popen([binary, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(conf)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: http_status(port, "/healthz") == 200, 20, "nginx", process, folder / "error.log")
        yield port
    finally:
        stop(process, signal.SIGQUIT)


class Gateway(BaseHTTPRequestHandler):
    """A fake SMS gateway: keeps every message it is given."""

    received: list[dict] = []
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args):
        pass


@contextmanager
def sms_gateway():
    Gateway.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/send", Gateway.received
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def outbox_worker(env: dict, folder: Path, name: str):
    with (folder / f"{name}.log").open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "outbox", "deliver", "--worker", "--interval", "0.3"],
            env={**env, "FLASK_APP": "wsgi:app"}, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        yield process
    finally:
        stop(process)


def post_until_answered(port: int, path: str, body: dict, headers: dict, deadline: float) -> tuple[int, dict]:
    """What a client does (docs/api.md): resend the same body with the same Idempotency-Key until it gets an answer
    that is not a gateway error, a cut connection or "still in progress"."""
    while True:
        try:
            status, answer_headers, raw = call(port, "POST", path, body, headers=headers, timeout=20)
        except OSError:
            status, raw = None, b""
        if status is not None and status not in RETRYABLE:
            answer = json.loads(raw)
            if status != 409 or "dossier" in answer.get("error", {}):
                return status, answer
        assert time.monotonic() < deadline, f"no answer for {headers.get('Idempotency-Key')}: {status} {raw[:200]}"
        time.sleep(0.3)


def upload_until_stored(port: int, code: str, headers: dict, content: bytes, deadline: float) -> dict:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    headers = {**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    while True:
        try:
            status, _headers, raw = call(port, "POST", f"/api/v1/dossiers/{code}/attachments", body=body,
                                         headers=headers)
        except OSError:
            status, raw = None, b""
        if status == 201:
            return json.loads(raw)
        assert status in RETRYABLE + (None,), (status, raw[:300])
        assert time.monotonic() < deadline, f"upload to {code} never stored: {status}"
        time.sleep(0.3)


def test_two_nodes_behind_nginx_lose_nothing_and_share_throttles_uploads_and_the_outbox(app, factory, postgres,
                                                                                       tmp_path):
    factory.district("huyen-test")
    factory.commune("xa-a", parent="huyen-test")
    for username in OFFICERS:
        factory.user(username, ("reception", "xa-a"))
    factory.user("a.target", ("reception", "xa-a"))
    need("redis-server", "redis-server")
    need("nginx", "nginx")

    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(tmp_path / "redis"))
        gateway_url, sms = stack.enter_context(sms_gateway())
        s3_url = stack.enter_context(moto_s3(tmp_path / "moto"))
        import boto3

        credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}
        bucket = boto3.client("s3", endpoint_url=s3_url, aws_access_key_id="testing",
                              aws_secret_access_key="testing", region_name="us-east-1")
        bucket.create_bucket(Bucket="motcua")
        env = node_env(postgres, tmp_path, RATELIMIT_STORAGE_URI=redis_url, PROXY_COUNT="1",
                       LOGIN_RATE_LIMIT=f"{LOGIN_BUDGET} per minute", LOGIN_ADDRESS_RATE_LIMIT="1000 per minute",
                       MOTCUA_PLUGINS="civil_status,land,social_welfare,sms_http", SMS_GATEWAY_URL=gateway_url,
                       OUTBOX_LEASE_SECONDS="60", STORAGE_BACKEND="s3", S3_BUCKET="motcua", S3_ENDPOINT_URL=s3_url,
                       S3_PREFIX="tinh", **credentials)
        nodes = start_nodes(stack, env, tmp_path, {"a": None, "b": None})
        (port_a, node_a), (port_b, _node_b) = nodes["a"], nodes["b"]
        edge = stack.enter_context(nginx(tmp_path / "nginx", [port_a, port_b]))
        for name in ("outbox-1", "outbox-2"):
            stack.enter_context(outbox_worker(env, tmp_path, name))

        # --- nginx as configured in deploy/: no versions in headers, JSON for over-long URLs at every layer ------
        status, headers, _raw = call(edge, "GET", "/healthz")
        assert status == 200 and headers["server"] == "nginx"
        for length in (5000, 9000):  # refused by the application, then by nginx itself
            status, headers, raw = call(edge, "GET", "/api/v1/units?q=" + "a" * length)
            assert status == 414 and headers["content-type"].startswith("application/json"), (length, raw[:200])
            assert json.loads(raw)["error"]["code"] == "uri_too_long" and headers["server"] == "nginx"

        # --- the login throttle: failures through nginx land on both nodes and spend one budget ----------------
        wrong = {"username": "A.Target ", "password": "wrong"}
        failures = [call(edge, "POST", "/api/v1/auth/token", wrong)[0] for _ in range(LOGIN_BUDGET + 1)]
        assert failures == [401] * LOGIN_BUDGET + [429], failures
        served = {name: (tmp_path / f"{name}.access.log").read_text().count("POST /api/v1/auth/token")
                  for name in ("a", "b")}
        assert served["a"] >= 1 and served["b"] >= 1, served  # nginx spread them over both nodes
        right = {"username": "a.target", "password": TEST_PASSWORD}
        assert [call(port, "POST", "/api/v1/auth/token", right)[0] for port in (port_a, port_b)] == [429, 429]

        # --- concurrent receptions and uploads through nginx; node A dies in the middle -----------------------
        tokens = {}
        for username in OFFICERS:
            status, _h, raw = call(edge, "POST", "/api/v1/auth/token", {"username": username,
                                                                           "password": TEST_PASSWORD})
            assert status == 200, raw
            tokens[username] = {"Authorization": f"Bearer {json.loads(raw)['token']}"}
        answered, answered_lock, kill_now = [], threading.Lock(), threading.Event()
        deadline = time.monotonic() + 90

        def receive(i: int) -> tuple[str, str, dict]:
            headers = {**tokens[OFFICERS[i % len(OFFICERS)]], "Idempotency-Key": str(uuid.uuid4())}
            name = f"Người Nộp {chr(65 + i // 26)}{chr(65 + i % 26)}"  # no digits in a name
            applicant = {"full_name": name, "id_number": f"0010900{i:05d}",
                         "phone": f"09{i:08d}", "address": "Thôn Đông, xã An Bình", "email": ""}
            body = {"procedure": BIRTH, "channel": "counter", "applicant": applicant, "data": birth_data()}
            status, answer = post_until_answered(edge, "/api/v1/units/xa-a/dossiers", body, headers, deadline)
            if status == 409:  # committed by the node that died before it could answer: read it instead
                code = answer["error"]["dossier"]
            else:
                assert status == 201, answer
                code = answer["code"]
            with answered_lock:
                answered.append(code)
                if len(answered) == KILL_AFTER:
                    kill_now.set()
            scan = upload_until_stored(edge, code, tokens[OFFICERS[i % len(OFFICERS)]], pdf(i), deadline)
            return applicant["full_name"], code, scan

        def killer():
            kill_now.wait(60)
            os.killpg(node_a.pid, signal.SIGKILL)  # the node dies with its workers and requests in flight

        with ThreadPoolExecutor(max_workers=7) as pool:
            kill = pool.submit(killer)
            results = list(pool.map(receive, range(RECEPTIONS)))
            kill.result()
        assert node_a.wait(10) == -signal.SIGKILL

        # No dossier lost or doubled: one per reception, each once in the database.
        codes = [code for _name, code, _scan in results]
        assert len(set(codes)) == RECEPTIONS
        from core.dossiers.models import Dossier
        from core.extensions import db

        with app.app_context():
            rows = db.session.execute(select(Dossier.applicant_name, func.count()).group_by(Dossier.applicant_name))
            per_applicant = dict(rows.all())
            stored_codes = set(db.session.scalars(select(Dossier.code)))
        assert per_applicant == {name: 1 for name, _code, _scan in results}
        assert stored_codes == set(codes)

        # --- node A comes back on its address; every scan is readable from either node -------------------------
        start_nodes(stack, env, tmp_path, {"a-again": port_a})
        headers = tokens[OFFICERS[0]]
        for i, (_name, code, scan) in enumerate(results):
            for port in (port_a, port_b):
                status, _h, raw = call(port, "GET", scan["url"], headers=headers)
                assert status == 200 and raw == pdf(i), (port, code, status)
            assert scan["sha256"] == hashlib.sha256(pdf(i)).hexdigest()
        stored = [item["Key"] for item in bucket.list_objects_v2(Bucket="motcua")["Contents"]]
        assert len(stored) == RECEPTIONS and all(key.startswith("tinh/uploads/") for key in stored)
        assert not (tmp_path / "uploads").exists()  # nothing on the nodes' own disks

        # --- the two outbox workers sent each receipt SMS exactly once -----------------------------------------
        from core.notifications.models import Outbox

        def delivered() -> bool:
            with app.app_context():
                return db.session.scalar(select(func.count()).where(Outbox.status != "sent")) == 0
        wait_until(delivered, 30, "outbox delivery")
        texts = sorted(message["text"] for message in sms)
        for code in codes:
            assert sum(code in text for text in texts) == 1, (code, texts)
        assert len(texts) == RECEPTIONS
        with app.app_context():
            attempts = set(db.session.scalars(select(Outbox.attempts)))
        assert attempts == {1}
