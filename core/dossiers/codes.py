"""Dossier codes: ``<agency identifier>-YYMMDD-NNNN`` (Circular 01/2018/TT-VPCP art. 19, domain.md 1.4).

The running number comes from a counter row per receiving unit per day, incremented with a single UPDATE inside the
dossier's own transaction: PostgreSQL's row lock (and SQLite's single writer) serialise concurrent receptions, and a
rolled-back reception gives its number back, so numbers are unique and gap-free.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.dossiers.clock import VN_TZ
from core.dossiers.models import DossierCounter
from core.extensions import db


def next_number(unit_id: int, day: date) -> int:
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(DossierCounter).values(unit_id=unit_id, day=day, last_number=0).on_conflict_do_nothing()
    )
    return db.session.execute(
        update(DossierCounter)
        .where(DossierCounter.unit_id == unit_id, DossierCounter.day == day)
        .values(last_number=DossierCounter.last_number + 1)
        .returning(DossierCounter.last_number)
    ).scalar_one()


def format_code(agency_code: str, moment: datetime, number: int) -> str:
    local = moment.astimezone(VN_TZ)
    prefix = agency_code or "MC"
    return f"{prefix}-{local:%y%m%d}-{number:04d}"


def new_code(unit, moment: datetime) -> str:
    local_day = moment.astimezone(VN_TZ).date()
    return format_code(unit.agency_code or unit.code, moment, next_number(unit.id, local_day))
