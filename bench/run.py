"""Measure the reports at province scale on PostgreSQL (issue 6 §7). Not a test: it prints figures for RESULTS.md.

    .venv/bin/python bench/run.py --dossiers 1000000 --units 100           # create motcua_bench, seed, measure
    .venv/bin/python bench/run.py --skip-seed                              # measure an existing bench database

The database (default ``motcua_bench`` next to TEST_DATABASE_URL's server) is created when missing; ``--fresh``
drops it first. Seeding runs ``flask bench seed`` in a subprocess. Each measured request goes through the whole
application (routing, login, permission checks, SQL, JSON or HTML) with Flask's test client in this process; it is
run once to warm up and then ``--runs`` times; the median, minimum and maximum are printed in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql+psycopg://motcua:motcua@127.0.0.1:5432/motcua_bench"
TARGET_REPORT_MS = 300
TARGET_QUEUE_MS = 50


def ensure_database(url: str, fresh: bool) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).scalar()
        if exists and fresh:
            conn.execute(text(f'DROP DATABASE "{parsed.database}" WITH (FORCE)'))
            exists = False
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def seed(url: str, dossiers: int, units: int, years: int) -> float:
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="wsgi:app", PYTHONPATH=str(ROOT))
    command = [str(ROOT / ".venv" / "bin" / "flask"), "bench", "seed", "--dossiers", str(dossiers), "--units",
               str(units), "--years", str(years)]
    print("$", " ".join(command[1:]), flush=True)
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return time.perf_counter() - started


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({cpu}), {memory}, {platform.system()} {platform.release()}, load average {load}"


def measure(client, path: str, runs: int, headers: dict | None = None) -> dict:
    response = client.get(path, headers=headers or {})
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, headers=headers or {})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--fresh", action="store_true", help="drop the bench database first")
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--only", metavar="TEXT", help="measure only the rows whose label contains TEXT")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    ensure_database(args.url, args.fresh)
    seeded = None if args.skip_seed else seed(args.url, args.dossiers, args.units, args.years)

    os.environ["DATABASE_URL"] = args.url
    from core import create_app
    from core.extensions import db

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "SQLALCHEMY_DATABASE_URI": args.url})
    with app.app_context():
        dossiers = db.session.execute(text("SELECT count(*) FROM dossiers")).scalar()
        events = db.session.execute(text("SELECT count(*) FROM dossier_events")).scalar()
        counts = db.session.execute(text("SELECT count(*) FROM report_counts")).scalar()
        version = db.session.execute(text("SHOW server_version")).scalar()
        first, last = db.session.execute(text("SELECT min(received_at), max(received_at) FROM dossiers")).one()
        plan = "\n".join(r[0] for r in db.session.execute(text(
            "EXPLAIN SELECT count(*) FROM dossiers WHERE received_at IS NOT NULL AND tsrange(received_at, "
            "CASE WHEN finished_at < received_at THEN received_at ELSE finished_at END, '(]') @> "
            "'2025-01-01 00:00'::timestamp")))
    year = date.today().year - 1
    period = f"from={year}-01-01&to={year}-12-31"
    print(f"\nMachine: {machine()}\nPostgreSQL {version}; {dossiers:,} dossiers, {events:,} history rows, "
          f"{counts:,} report count rows; received from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    if seeded is not None:
        print(f"Seed: {seeded:.0f} s")
    print("Stock query plan:\n  " + plan.replace("\n", "\n  "))

    client = app.test_client()
    tokens = {}
    for username in ("bench.tinh", "bench.huyen01", "bench.xa001"):
        response = client.post("/api/v1/auth/token", json={"username": username, "password": "bench-pass"})
        tokens[username] = {"Authorization": f"Bearer {response.get_json()['token']}"}
    cases = [
        ("Summary, district, one year", f"/api/v1/reports/summary?unit=bench-huyen-01&{period}", "bench.tinh", 300),
        ("Summary, province, one year", f"/api/v1/reports/summary?unit=bench-tinh&{period}", "bench.tinh", 300),
        ("Summary by commune, district, one year",
         f"/api/v1/reports/summary?unit=bench-huyen-01&{period}&by=unit", "bench.tinh", 300),
        ("Summary by district, province, one year",
         f"/api/v1/reports/summary?unit=bench-tinh&{period}&by=unit", "bench.tinh", 300),
        ("Summary by procedure, province, one year",
         f"/api/v1/reports/summary?unit=bench-tinh&{period}&by=procedure", "bench.tinh", 300),
        ("Summary, province, one quarter (partial months: daily counts)",
         f"/api/v1/reports/summary?unit=bench-tinh&from={year}-02-15&to={year}-05-14", "bench.tinh", 300),
    ]
    last = date.today() - timedelta(days=1)
    window = f"from={(last - timedelta(days=364)).isoformat()}&to={last.isoformat()}"
    cases.append(("Summary, province, last 12 months", f"/api/v1/reports/summary?unit=bench-tinh&{window}",
                  "bench.tinh", 300))
    for y in range(year - 2, year + 1):
        cases.append((f"Summary, province, year {y} (independence of the data outside)",
                      f"/api/v1/reports/summary?unit=bench-tinh&from={y}-01-01&to={y}-12-31", "bench.tinh", 300))
    pages = [
        ("District dashboard page (year)", f"/bench-huyen-01/dashboard?period=year&year={year}", "bench.huyen01",
         300),
        ("Commune dashboard page (this month)", "/bench-xa-001/dashboard", "bench.xa001", 300),
        ("Commune dashboard page (year)", f"/bench-xa-001/dashboard?period=year&year={year}", "bench.xa001", 300),
        ("Report page, district (year, by commune)", f"/bench-huyen-01/reports?period=year&year={year}",
         "bench.huyen01", 300),
        ("Queue first page, officer page (commune)", "/bench-xa-001/", "bench.xa001", 50),
        ("Queue first page, overdue tab (commune)", "/bench-xa-001/?tab=overdue", "bench.xa001", 50),
    ]
    api_queue = [("Queue first page, API (commune)", "/api/v1/units/bench-xa-001/dossiers", "bench.xa001", 50),
                 # Beyond the targets (no mark): the same list for a whole district, and a filtered one.
                 ("Queue first page, API (district: 10 communes and an office)",
                  "/api/v1/units/bench-huyen-01/dossiers", "bench.tinh", None),
                 ("Queue third page, API (commune, status filter)",
                  "/api/v1/units/bench-xa-001/dossiers?status=returned&page=3", "bench.xa001", None)]
    if args.only:
        wanted = args.only.lower()
        cases, api_queue, pages = ([c for c in group if wanted in c[0].lower()] for group in (cases, api_queue, pages))
    rows = []
    for label, path, user, target in cases + api_queue:
        rows.append((label, path, target, measure(client, path, args.runs, tokens[user])))
    for label, path, user, target in pages:
        page_client = app.test_client()
        page_client.post("/login", data={"username": user, "password": "bench-pass"})
        rows.append((label, path, target, measure(page_client, path, args.runs)))
    print("\n| Measure | Target | Median ms | Min | Max |\n|---|---|---|---|---|")
    for label, _path, target, r in rows:
        if target is None:
            print(f"| {label} | — | {r['median']:.0f} | {r['min']:.0f} | {r['max']:.0f} |")
            continue
        mark = "ok" if r["median"] < target else "OVER"
        print(f"| {label} | < {target} | {r['median']:.0f} ({mark}) | {r['min']:.0f} | {r['max']:.0f} |")
    print(f"\nRuns per measure: {args.runs} after one warm-up; load average now "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}.")


if __name__ == "__main__":
    main()
