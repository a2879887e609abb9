"""Dossier codes: ``<agency identifier>-YYMMDD-NNNN`` (Circular 01/2018/TT-VPCP art. 19, domain.md 1.4).

The running number comes from a counter row per receiving unit per day, incremented inside the dossier's own
transaction by one upsert (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, on PostgreSQL and SQLite alike): the row
lock it takes (and SQLite's single writer) serialises concurrent receptions, and a rolled-back reception gives its
number back, so numbers are unique and gap-free. The lock lasts until the commit, so the number is taken just before
the dossier's own INSERT.

Prefixes are unique among active units (core.tenancy.agency), but a unit deactivated and another given its old code,
or codes written before that rule, can still meet: a number whose code is already taken is skipped, so a clash costs
a gap in the numbering, never a failed reception. Such clashes are rare, so the reception does not look for one
before writing: the unique constraint on the code refuses the INSERT, the reception rolls back (its number is given
back) and is written again with ``new_code(..., check_taken=True)`` (core.dossiers.services.create_dossier).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.dossiers.clock import VN_TZ
from core.dossiers.models import Dossier, DossierCounter
from core.extensions import db

_NEXT_NUMBER: dict[str, object] = {}


def _next_number_statement(dialect: str):
    """The counter's upsert, built once per dialect (the same compiled statement for every reception)."""
    if dialect not in _NEXT_NUMBER:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        table = DossierCounter.__table__
        stmt = insert(table)
        _NEXT_NUMBER[dialect] = stmt.on_conflict_do_update(
            index_elements=[table.c.unit_id, table.c.day], set_={"last_number": table.c.last_number + 1},
        ).returning(table.c.last_number)
    return _NEXT_NUMBER[dialect]


def next_number(unit_id: int, day: date) -> int:
    """The unit's next number of ``day``; its counter row stays locked until the transaction ends."""
    connection = db.session.connection()
    statement = _next_number_statement(connection.dialect.name)
    return connection.execute(statement, {"unit_id": unit_id, "day": day, "last_number": 1}).scalar_one()


def format_code(agency_code: str, moment: datetime, number: int) -> str:
    local = moment.astimezone(VN_TZ)
    prefix = agency_code or "MC"
    return f"{prefix}-{local:%y%m%d}-{number:04d}"


def is_taken(code: str) -> bool:
    return db.session.scalar(select(Dossier.id).where(Dossier.code == code)) is not None


def new_code(unit, moment: datetime, check_taken: bool = False) -> str:
    """The code of the unit's next dossier received at ``moment``; with ``check_taken``, numbers whose code another
    dossier already has are skipped (without it, the dossier's INSERT finds the clash)."""
    local_day = moment.astimezone(VN_TZ).date()
    while True:
        code = format_code(unit.agency_code or unit.code, moment, next_number(unit.id, local_day))
        if not check_taken or not is_taken(code):
            return code
