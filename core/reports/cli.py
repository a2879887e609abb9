"""``flask reports rebuild`` (recount the maintained report counts) and ``flask bench seed`` (a province-sized
dataset for the benchmark in bench/)."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

reports_cli = AppGroup("reports", help="Báo cáo thống kê: công cụ bảo trì.")
bench_cli = AppGroup("bench", help="Dữ liệu và đo hiệu năng (bench/).")


@reports_cli.command("rebuild")
@with_appcontext
def rebuild_command():
    """Recount the daily and monthly report counts from the dossiers."""
    from core.extensions import db
    from core.reports.aggregate import rebuild

    started = time.perf_counter()
    rows = rebuild(db.session)
    db.session.commit()
    click.echo(f"Report counts rebuilt: {rows} rows in {time.perf_counter() - started:.1f} s.")


def _generator():
    """bench/generator.py, importable from the project root."""
    root = str(Path(__file__).resolve().parents[2])
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module("bench.generator")


@bench_cli.command("seed")
@click.option("--dossiers", "dossiers", type=click.IntRange(1), default=100_000, show_default=True,
              help="Number of dossiers to write.")
@click.option("--units", "units", type=click.IntRange(1), default=100, show_default=True,
              help="Number of communes (10 per district).")
@click.option("--years", type=click.IntRange(1, 10), default=4, show_default=True,
              help="Years of history, ending today.")
@click.option("--seed", "random_seed", type=int, default=2026, show_default=True)
@with_appcontext
def bench_seed(dossiers, units, years, random_seed):
    """Write a province (districts of 10 communes) with dossiers and their history, by bulk inserts."""
    stats = _generator().seed(dossiers=dossiers, communes=units, years=years, random_seed=random_seed,
                              echo=click.echo)
    click.echo(" ".join(f"{k}={v}" for k, v in stats.items()))


def register_cli(app: Flask) -> None:
    app.cli.add_command(reports_cli)
    app.cli.add_command(bench_cli)
