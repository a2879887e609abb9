"""core.dbutil.write_transaction refuses to start over unsaved changes (CODE-18): on SQLite it would commit them
apart from the block, on PostgreSQL with it, and either way a change made outside the services would slip in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.dbutil import write_transaction
from core.extensions import db
from core.tenancy.models import Unit


def _units() -> int:
    return db.session.scalar(select(func.count(Unit.id)))


def test_pending_changes_are_refused_and_never_written(app, factory):
    factory.unit("xa-a")
    with app.app_context():
        db.session.add(Unit(slug="xa-lac", kind="commune", name="Xã Lạc", code="99998"))
        with pytest.raises(RuntimeError, match="unsaved changes"):
            with write_transaction():
                pass
        db.session.rollback()
        assert _units() == 1

        unit = db.session.scalar(select(Unit).where(Unit.slug == "xa-a"))
        unit.name = "Xã Đổi Tên"
        with pytest.raises(RuntimeError):
            with write_transaction():
                pass
        db.session.rollback()
        assert db.session.scalar(select(Unit.name).where(Unit.slug == "xa-a")) != "Xã Đổi Tên"


def test_a_clean_session_writes_the_block_and_reads_before_it_are_fine(app, factory):
    factory.unit("xa-a")
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.slug == "xa-a"))  # a read leaves nothing pending
        unit.name = unit.name  # setting the same value is no change
        with write_transaction() as session:
            session.add(Unit(slug="xa-lac", kind="commune", name="Xã Lạc", code="99998"))
        assert _units() == 2
