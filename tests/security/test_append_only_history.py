"""SEC-20: the dossier history and the change log are append-only in the database itself (created by create_all and
by the migrations alike), and a re-scored evaluation leaves a trace."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from core import create_app
from core.extensions import db
from core.tenancy.models import ChangeLog
from tests.core.test_migrations import empty_database_url  # noqa: F401  (fixture)
from tests.web.helpers import make_dossier

STATEMENTS = ("UPDATE dossier_events SET note = 'rewritten'", "DELETE FROM dossier_events",
              "UPDATE change_log SET actor_name = 'someone else'", "DELETE FROM change_log")


def _refused(connection_factory, statement: str) -> bool:
    with connection_factory() as conn:
        try:
            conn.execute(text(statement))
        except DBAPIError as exc:
            assert "append-only" in str(exc)
            return True
        return False


def test_the_app_schema_refuses_rewriting_history(app, client, factory, desk):
    make_dossier(app)
    factory.login(client, "huyen.admin")
    client.post("/huyen-test/admin/lich", data={"day": "2027-02-03", "kind": "off", "unit_id": "0", "note": "x"})
    with app.app_context():
        counts = [db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("dossier_events",
                                                                                            "change_log")]
        assert all(counts)
        for statement in STATEMENTS:
            assert _refused(db.engine.begin, statement), statement
        # Appending still works (the service layer writes history this way).
        make_dossier(app)
        assert db.session.execute(text("SELECT count(*) FROM dossier_events")).scalar() == counts[0] + 1
        db.session.remove()


def test_the_migrated_schema_refuses_rewriting_history(empty_database_url):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "SECRET_KEY": "x", "TESTING": True})
    result = app.test_cli_runner().invoke(args=["db", "upgrade", "heads"])
    assert result.exit_code == 0, result.output
    engine = create_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO change_log (at, actor_name, action, target, details, seq) "
                              "VALUES (CURRENT_TIMESTAMP, 'a', 'unit.update', 't', '{}', 0)"))
        for statement in STATEMENTS[2:]:
            assert _refused(engine.begin, statement), statement
        with engine.connect() as conn:
            assert conn.execute(text("SELECT actor_name FROM change_log")).scalars().all() == ["a"]
    finally:
        engine.dispose()


@pytest.mark.app_config(INSTALLED_PLUGINS=("civil_status",))
def test_a_rescored_evaluation_is_logged_with_the_old_scores(app, client, factory, desk):
    url = "/xa-a/reports/evaluation?period=year&year=2026"
    factory.login(client, "a.lanhdao")
    first = {f"c{i}": "2" for i in range(1, 10)}
    assert client.post(url, data={"kind": "self", **first}).status_code in (302, 303)
    second = {f"c{i}": "0" for i in range(1, 10)}
    assert client.post(url, data={"kind": "self", **second}).status_code in (302, 303)
    with app.app_context():
        rows = db.session.scalars(select(ChangeLog).where(ChangeLog.action == "evaluation.self")
                                  .order_by(ChangeLog.id)).all()
        assert [(r.details["old"], r.details["new"]) for r in rows] == [(None, [2] * 9), ([2] * 9, [0] * 9)]
        assert rows[-1].actor_name == "Hoàng Văn Lãnh"
