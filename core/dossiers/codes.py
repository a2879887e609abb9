"""Dossier codes: ``<agency identifier>-YYMMDD-NNNN`` (Circular 01/2018/TT-VPCP art. 19, domain.md 1.4).

The running number comes from a counter row per receiving unit per day, incremented with a single UPDATE inside the
dossier's own transaction: PostgreSQL's row lock (and SQLite's single writer) serialise concurrent receptions, and a
rolled-back reception gives its number back, so numbers are unique and gap-free.

Prefixes are unique among active units (core.tenancy.agency), but a unit deactivated and another given its old code,
or codes written before that rule, can still meet: a number whose code is already taken is skipped, so a clash costs
a gap in the numbering, never a failed reception.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier, DossierCounter
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


def _taken(code: str) -> bool:
    return db.session.scalar(select(Dossier.id).where(Dossier.code == code)) is not None


def new_code(unit, moment: datetime) -> str:
    local_day = moment.astimezone(VN_TZ).date()
    while True:
        code = format_code(unit.agency_code or unit.code, moment, next_number(unit.id, local_day))
        if not _taken(code):
            return code
