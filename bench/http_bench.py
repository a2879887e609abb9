"""Measure Một Cửa through real HTTP, side by side with a hello-world Flask app (issue 16). Not a test.

    .venv/bin/python bench/http_bench.py                         # the `make run` demo database (instance/motcua.sqlite)
    .venv/bin/python bench/http_bench.py --bench \\
        --database-url postgresql+psycopg://motcua:motcua@127.0.0.1:5432/motcua_bench   # the 1M bench database

Both applications are served by gunicorn exactly as `make run` serves Một Cửa (the same worker count and class,
access log to stdout), on free local ports. Every endpoint is driven by wrk (Debian's `wrk`) for ``--duration``
seconds against Một Cửa and then for as long against the hello-world app, so the two figures of a row come from
the same minute of this shared machine; the ratio of the two is what counts. Printed per endpoint: requests per
second, p50/p95/p99 in ms, non-2xx answers, the ratio to the ceiling; then each worker's RSS and the load average.

With ``--floor``, bench/floor.py is served the same way and driven on the routes it has (``/livez``, ``/healthz``,
the tracking API) and on the officers' reads (detail, queue, search), whose statements bench/replay.py captures
from the application first: the same SQL with Flask, SQLAlchemy Core and psycopg and nothing of Một Cửa, i.e. the
best this stack reaches on this machine for that answer.

With ``--profile DIR``, py-spy (``pip install py-spy``) samples the application's workers while wrk drives each
endpoint and writes DIR/<endpoint>.txt: collapsed stacks, then the functions that take the largest share of the
workers' samples (inclusive and self) — the profile behind a ratio that stays low. Sampling slows the workers, so
a profiled run's figures are not the record.

Throttles stay in the path (their cost is part of the request) with limits raised out of reach, so that a
benchmark client is not answered 429. They count in a private redis-server (Debian's ``redis-server``), as in
production, so that they are exact across workers; ``--limiter-storage memory`` measures the per-process counters
of a bare ``make run`` instead.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PROJECT = ROOT.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
sys.path.insert(0, str(PROJECT))
from bench.names import invented_name  # noqa: E402 (the project root is not on the path of a script in bench/)

DEMO = {"user": "lim.tiepnhan", "password": "motcua-demo", "unit": "lim",
        "district_user": "tien-du.admin", "district_unit": "tien-du", "surname": "Nguyễn"}
# The searched names: a common given name (bench/names.py gives "Bình" to ~2.7 % of applicants) and the commonest
# surname, "Nguyễn" (~40 %): the worst case of a district's exact total.
BENCH = {"user": "bench.xa001", "password": "bench-pass", "unit": "bench-xa-001",
         "district_user": "bench.huyen01", "district_unit": "bench-huyen-01", "given_name": "Bình",
         "surname": "Nguyễn"}
OUT_OF_REACH = "1000000 per minute"
FLOOR_ROUTES = ("/livez", "/healthz", "/api/v1/track/")  # what bench/floor.py answers as Một Cửa does


@dataclass
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    body: str = ""
    token: str = ""
    connections: int = 16
    env: dict = field(default_factory=dict)


@dataclass
class Result:
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    requests: int
    cpu: dict = field(default_factory=dict)  # CPU ms per request: app workers, database server, wrk


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(app: str, cwd: Path, env: dict, workers: int, worker_class: str,
          threads: int) -> tuple[subprocess.Popen, str]:
    """Start gunicorn as `make run` does; return the process and its base URL once it answers."""
    port = free_port()
    command = [str(GUNICORN), "-c", str(PROJECT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
               "--access-logfile", "-", app]
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn {app} stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return process, base
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"gunicorn {app} did not answer within 60 s")


def call(base: str, path: str, method: str = "GET", body: str = "", token: str = "") -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} if body else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, data=body.encode() or None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def token_for(base: str, username: str, password: str) -> str:
    status, body = call(base, "/api/v1/auth/token", "POST", json.dumps({"username": username, "password": password}))
    if status != 200:
        raise SystemExit(f"cannot log in as {username}: {status} {body[:300]!r}")
    return json.loads(body)["token"]


RECEPTION_NAMES = 64


def reception_body() -> str:
    """Bodies of counter receptions, one per line (bench/wrk.lua sends them in turn): each father a different
    invented name, so that the runs do not pile one name into the unit and distort later name searches."""
    born = (date.today() - timedelta(days=3)).isoformat()
    rng = random.Random(16)
    bodies = []
    for _ in range(RECEPTION_NAMES):
        father, mother = invented_name(rng, "male"), invented_name(rng, "female")
        bodies.append(json.dumps({
            "procedure": "civil_status.birth_registration", "channel": "counter",
            "applicant": {"full_name": father, "id_number": "027090001234", "phone": "0912345678",
                          "address": "Thôn Đông", "email": ""},
            "data": {"child_full_name": f"{father.split()[0]} Thị Hoa", "child_sex": "female",
                     "child_birth_date": born, "birth_place": "Trạm y tế xã", "mother_full_name": mother,
                     "father_full_name": father}}))
    return "\n".join(bodies)


def search_endpoint(base: str, label: str, unit: str, term: str, token: str) -> Endpoint:
    """A name search, its label telling how many dossiers match (what the exact total has to count)."""
    path = f"/api/v1/units/{unit}/dossiers?q={urllib.parse.quote(term)}"
    status, body = call(base, path, token=token)
    total = json.loads(body).get("total") if status == 200 else None
    return Endpoint(f"name search, {label}, 1 connection (q={term}: {total:,} matches)", path, token=token,
                    connections=1)


def endpoints(base: str, accounts: dict) -> list[Endpoint]:
    officer = token_for(base, accounts["user"], accounts["password"])
    district = token_for(base, accounts["district_user"], accounts["district_password"])
    unit, district_unit = accounts["unit"], accounts["district_unit"]
    status, body = call(base, f"/api/v1/units/{unit}/dossiers?per_page=1", token=officer)
    listed = json.loads(body).get("dossiers") if status == 200 else None
    if not listed:
        raise SystemExit(f"no dossier to look up at {unit}: {status} {body[:300]!r}")
    code = listed[0]["code"]
    detail = json.loads(call(base, f"/api/v1/dossiers/{code}", token=officer)[1])
    phone, name = detail["applicant"]["phone"], detail["applicant"]["full_name"]
    given_name, surname = accounts.get("given_name", name.split()[-1]), accounts.get("surname", name.split()[0])
    lookup = urllib.parse.urlencode({"code": code, "phone": phone})
    return [
        Endpoint("GET /livez (the app's empty route: per-request overhead)", "/livez"),
        Endpoint("GET /healthz", "/healthz"),
        Endpoint("tracking API", f"/api/v1/track/{code}?{urllib.parse.urlencode({'phone': phone})}"),
        Endpoint("portal tracking page /tra-cuu", f"/tra-cuu?{lookup}"),
        Endpoint("dossier detail API, 1 connection", f"/api/v1/dossiers/{code}", token=officer, connections=1),
        Endpoint("queue API, 1 connection", f"/api/v1/units/{unit}/dossiers", token=officer, connections=1),
        search_endpoint(base, "commune", unit, given_name, officer),
        search_endpoint(base, "district", district_unit, given_name, district),
        search_endpoint(base, "district, commonest surname", district_unit, surname, district),
        *(Endpoint(f"counter reception, {n} client{'s' if n > 1 else ''}", f"/api/v1/units/{unit}/dossiers", "POST",
                   reception_body(), officer, n) for n in (1, 4, 16)),
    ]


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def cpu_ms(pids) -> dict[int, float]:
    """User + system CPU of each of these processes so far, in ms."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) * TICK_MS
    return times


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between the two readings by the processes present at both."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def database_pids(database_url: str) -> list[int]:
    """The local PostgreSQL server's backends serving this database (none for SQLite, whose work is the workers'
    own). Backends of other databases — a test run beside the bench — are left out."""
    if not database_url.startswith("postgresql"):
        return []
    name = urllib.parse.urlsplit(database_url.replace("+psycopg", "")).path.lstrip("/")
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
            except OSError:
                continue
            if title[:1] == ["postgres:"] and name in title[2:4]:  # "postgres: [15/main:] user database …"
                pids.append(int(entry.name))
    return pids


def worker_pids(master: subprocess.Popen) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()]


def drive(base: str, endpoint: Endpoint, seconds: int, master: subprocess.Popen | None = None,
          database_url: str = "") -> Result:
    env = {**os.environ, "BENCH_METHOD": endpoint.method, "BENCH_BODY": endpoint.body,
           "BENCH_AUTHORIZATION": f"Bearer {endpoint.token}" if endpoint.token else ""}
    threads = min(2, endpoint.connections)
    command = ["wrk", "-t", str(threads), "-c", str(endpoint.connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(ROOT / "wrk.lua"), base + endpoint.path]
    workers = worker_pids(master) if master else []
    database = database_pids(database_url)
    before = (cpu_ms(workers), cpu_ms(database), os.times())
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    after = (cpu_ms(workers), cpu_ms(database), os.times())
    found = re.search(r"BENCH requests=(\d+) seconds=[\d.]+ rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) p99=([\d.]+) "
                      r"errors=(\d+)", output)
    if not found:
        raise SystemExit(f"wrk said:\n{output}")
    requests, rps, p50, p95, p99, errors = found.groups()
    count = max(int(requests), 1)
    wrk_ms = 1000 * sum(getattr(after[2], f) - getattr(before[2], f) for f in ("children_user", "children_system"))
    cpu = {"app": spent(before[0], after[0]) / count, "database": spent(before[1], after[1]) / count,
           "wrk": wrk_ms / count}
    return Result(float(rps), float(p50), float(p95), float(p99), int(errors), int(requests), cpu)


def profiled(master: subprocess.Popen, seconds: int, output: Path) -> subprocess.Popen:
    """Sample every worker of ``master`` with py-spy for ``seconds``, as collapsed stacks."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        raise SystemExit("py-spy is missing: .venv/bin/pip install py-spy")
    return subprocess.Popen([str(spy), "record", "--pid", str(master.pid), "--subprocesses", "--format", "raw",
                             "--rate", "250", "--duration", str(seconds), "--nonblocking", "--output", str(output)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarise_profile(output: Path, top: int = 40) -> None:
    """Append the functions with the largest inclusive and self share of the samples to ``output``."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in output.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [re.sub(r"\s*\(/[^)]*/(site-packages|lib/python[\d.]+|main)/", " (", frame)
                  for frame in stack.split(";")]
        weight = int(count)
        total += weight
        for frame in set(frames[1:]):  # the first frame is the process
            inclusive[frame] = inclusive.get(frame, 0) + weight
        own[frames[-1]] = own.get(frames[-1], 0) + weight
    if not total:
        return
    lines = [f"\n# {total} samples; inclusive share"]
    lines += [f"{100 * n / total:5.1f}% {frame}" for frame, n in sorted(inclusive.items(), key=lambda x: -x[1])[:top]]
    lines.append("\n# self share")
    lines += [f"{100 * n / total:5.1f}% {frame}" for frame, n in sorted(own.items(), key=lambda x: -x[1])[:top]]
    with output.open("a") as handle:
        handle.write("\n".join(lines) + "\n")


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    sizes = []
    for pid in worker_pids(master):
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def split(result: Result) -> str:
    return " + ".join(f"{result.cpu.get(part, 0):.2f}" for part in ("app", "database", "wrk"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""),
                        help="the database to serve (default: DATABASE_URL, else make run's SQLite demo)")
    parser.add_argument("--bench", action="store_true", help="log in with bench/generator.py's accounts")
    parser.add_argument("--duration", type=int, default=8, help="seconds per endpoint and per application")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", default="", help="only the endpoints whose name contains this text")
    parser.add_argument("--limiter-storage", choices=("redis", "memory"), default="redis",
                        help="where throttles count: a private redis-server (exact across workers, as in production)"
                             " or each worker's memory")
    parser.add_argument("--floor", action="store_true", help="also drive bench/floor.py on the routes it has")
    parser.add_argument("--profile", type=Path, help="write a py-spy profile of each endpoint into this directory")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    accounts = dict(BENCH if args.bench else DEMO)
    accounts["district_password"] = accounts["password"]
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "TRACK_RATE_LIMIT": OUT_OF_REACH,
           "LOGIN_RATE_LIMIT": OUT_OF_REACH, "LOGIN_ADDRESS_RATE_LIMIT": OUT_OF_REACH}
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    with contextlib.ExitStack() as services:
        if args.limiter_storage == "redis":
            if shutil.which("redis-server") is None:
                raise SystemExit("redis-server is missing: apt-get install redis-server (or --limiter-storage memory)")
            from tests.deploy.services import redis_server

            folder = Path(services.enter_context(tempfile.TemporaryDirectory(prefix="bench-redis-")))
            env["RATELIMIT_STORAGE_URI"] = services.enter_context(redis_server(folder))
        return run(args, accounts, env)


def run(args, accounts: dict, env: dict) -> int:
    load_before = os.getloadavg()
    server_options = (args.workers, args.worker_class, args.threads)
    app, app_base = serve("wsgi:app", PROJECT, env, *server_options)
    hello, hello_base = serve("hello:app", ROOT, env, *server_options)
    floor = floor_base = None
    replayed: list[str] = []
    rows = []
    try:
        chosen = [endpoint for endpoint in endpoints(app_base, accounts)
                  if not args.only or args.only in endpoint.name]
        if args.floor:
            floor_env = {**env, "DATABASE_URL": args.database_url
                         or f"sqlite:///{PROJECT / 'instance' / 'motcua.sqlite'}"}
            # The officers' reads: the floor replays the statements the application sends for them (bench/replay.py).
            reads = [(endpoint.path, endpoint.token) for endpoint in chosen
                     if endpoint.method == "GET" and endpoint.token and not endpoint.path.startswith(FLOOR_ROUTES)]
            if reads:
                from bench.replay import capture

                statements = Path(tempfile.mkstemp(prefix="bench-replay-", suffix=".pickle")[1])
                replayed = capture(floor_env, reads, statements)
                floor_env["FLOOR_REPLAY"] = str(statements)
            floor, floor_base = serve("floor:app", ROOT, floor_env, *server_options)
        for endpoint in chosen:
            first_body = endpoint.body.partition("\n")[0]
            status, body = call(app_base, endpoint.path, endpoint.method, first_body, endpoint.token)
            if not 200 <= status < 300:
                raise SystemExit(f"{endpoint.name}: {status} {body[:300]!r}")
            drive(app_base, endpoint, 1)  # warm-up: connections, caches, the workers' first imports
            spy = None
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                output = args.profile / (re.sub(r"[^a-z0-9]+", "-", endpoint.name.lower()).strip("-") + ".txt")
                spy = profiled(app, args.duration, output)
            ours = drive(app_base, endpoint, args.duration, app, args.database_url)
            if spy:
                spy.wait(timeout=60)
                summarise_profile(output)
            ceiling = drive(hello_base, endpoint, args.duration, hello, args.database_url)
            least = None
            if floor and endpoint.method == "GET" and (endpoint.path.split("?")[0].startswith(FLOOR_ROUTES)
                                                       or endpoint.path in replayed):
                least = drive(floor_base, endpoint, args.duration, floor, args.database_url)
            rows.append((endpoint, ours, ceiling, least))
            print(f"{endpoint.name}: {ours.rps:.0f} req/s vs {ceiling.rps:.0f} ({ours.rps / ceiling.rps:.3f})",
                  file=sys.stderr)
        rss = worker_rss_mb(app)
    finally:
        for process in (app, hello, floor):
            if process is None:
                continue
            process.terminate()
            process.wait(timeout=30)

    print(f"\nserved by gunicorn --workers {args.workers} --worker-class {args.worker_class} --threads {args.threads}, "
          f"throttles in {args.limiter_storage}; "
          f"{args.duration} s per endpoint and application; load average before {load_before[0]:.2f} "
          f"{load_before[1]:.2f} {load_before[2]:.2f}, after {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    print("| endpoint | conns | req/s | p50 ms | p95 ms | p99 ms | non-2xx | hello-world req/s | ratio "
          "| CPU ms/request: workers + database + wrk | hello-world's | floor req/s, ratio, CPU |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for endpoint, ours, ceiling, least in rows:
        floor_cell = f"{least.rps:,.0f}, {least.rps / ceiling.rps:.3f}, {split(least)}" if least else "—"
        print(f"| {endpoint.name} | {endpoint.connections} | {ours.rps:,.0f} | {ours.p50:.1f} | {ours.p95:.1f} | "
              f"{ours.p99:.1f} | {ours.errors} | {ceiling.rps:,.0f} | {ours.rps / ceiling.rps:.3f} "
              f"| {split(ours)} | {split(ceiling)} | {floor_cell} |")
    print(f"\nworker RSS after the run: {', '.join(f'{mb:.0f} MB' for mb in rss)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
