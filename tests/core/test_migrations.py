"""Migrations build the whole schema from empty, and the models have no drift against them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, text

from core import create_app
from core.dossiers.workflow import ON_DESK
from core.extensions import db
from core.testing import scratch_database_url


@pytest.fixture
def empty_database_url(tmp_path, database_url):
    with scratch_database_url(database_url, "migr", tmp_path / "migrations.sqlite") as url:
        yield url


DESK_INDEXES = ("ix_dossiers_desk_receiving", "ix_dossiers_desk_competent")


def _desk_index_states(app, url: str) -> dict[str, set[str]]:
    query = ("SELECT indexdef FROM pg_indexes WHERE indexname = :name" if url.startswith("postgresql")
             else "SELECT sql FROM sqlite_master WHERE name = :name")
    with app.app_context():
        found = {name: db.session.execute(text(query), {"name": name}).scalar() for name in DESK_INDEXES}
        db.session.remove()
        db.engine.dispose()
    return {name: set(re.findall(r"'([a-z_]+)'", definition.split("WHERE", 1)[1]))
            for name, definition in found.items()}


def _search_plan(app, q: str) -> str:
    """PostgreSQL's plan for the officers' search condition, with sequential scans priced out (the table is empty):
    whether a trigram index can serve the app's own ``LIKE '%…%' ESCAPE '/'``."""
    from sqlalchemy import select

    from core.dossiers.models import Dossier
    from core.dossiers.queries import search_condition

    with app.app_context():
        with db.engine.connect() as connection:
            connection.execute(text("SET enable_seqscan = off"))
            query = select(Dossier.id).where(search_condition(q))
            sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
            plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {sql}").scalars())
        db.engine.dispose()
    return plan


def test_upgrade_heads_from_empty_then_check_finds_no_drift(empty_database_url, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True})
    runner = app.test_cli_runner()

    result = runner.invoke(args=["db", "upgrade", "heads"])
    assert result.exit_code == 0, result.output

    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables
    if empty_database_url.startswith("postgresql"):
        with app.app_context():
            indexes = {i["name"] for i in inspect(db.engine).get_indexes("dossiers")}
            db.engine.dispose()
        assert "ix_dossiers_open_span" in indexes  # hand-written revision core_0002
        assert {"ix_dossiers_name_trgm", "ix_dossiers_code_trgm"} <= indexes  # core_0014 (issue 16)
        assert _search_plan(app, "nguyễn văn") and "ix_dossiers_name_trgm" in _search_plan(app, "nguyễn văn")
        assert "ix_dossiers_code_trgm" in _search_plan(app, "XA-A-2601")

    check = runner.invoke(args=["db", "check"])
    assert check.exit_code == 0, check.output
    # `db check` does not compare partial-index predicates: the desk indexes must cover exactly the desk states.
    assert _desk_index_states(app, empty_database_url) == {name: set(ON_DESK) for name in DESK_INDEXES}

    # A second upgrade is a no-op, and the demo seed runs on the migrated schema.
    assert runner.invoke(args=["db", "upgrade", "heads"]).exit_code == 0
    seeded = runner.invoke(args=["demo", "seed", "--no-history"])
    assert seeded.exit_code == 0, seeded.output
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM units")).scalar() == 17
        db.engine.dispose()


def test_upgrade_of_a_database_with_data(empty_database_url):
    """A database of an earlier release, with units that other rows refer to, upgrades to heads and keeps its rows.

    On SQLite a revision that rebuilds a referenced table (core_0013 rebuilds ``units``) failed with "FOREIGN KEY
    constraint failed" as soon as the table had rows; an empty database hid it."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade", "core_0012"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.begin() as connection:
            columns = "slug, name, kind, code, agency_code, office_hours, address, phone, settings, active, created_at"
            for slug, kind, code in (("huyen", "district", "111"), ("xa", "commune", "112")):
                connection.execute(text(f"INSERT INTO units ({columns}) VALUES (:slug, :slug, :kind, :code, :code, "
                                        "'', '', '', '{}', true, :at)"),
                                   {"slug": slug, "kind": kind, "code": code, "at": "2026-01-01 00:00:00"})
            connection.execute(text("UPDATE units SET parent_id = (SELECT id FROM units WHERE slug = 'huyen') "
                                    "WHERE slug = 'xa'"))
        db.engine.dispose()

    result = runner.invoke(args=["db", "upgrade", "heads"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        query = "SELECT slug, parent_id IS NOT NULL, successor_id FROM units ORDER BY slug"
        rows = db.session.execute(text(query)).all()
        foreign_keys = (db.session.execute(text("PRAGMA foreign_keys")).scalar()
                        if empty_database_url.startswith("sqlite") else 1)
        db.session.remove()
        db.engine.dispose()
    assert [tuple(r) for r in rows] == [("huyen", False, None), ("xa", True, None)]
    assert foreign_keys == 1  # the migration's pragma does not outlive it
