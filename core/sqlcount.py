"""Counting what a request costs the database: statements, connection checkouts and the pings before them.

Timings on a shared machine say little; counts say exactly what a change saved (issue 16). Tests and the bench
use this to hold the hot paths to their budget.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from core.dbping import PINGED


@dataclass
class Counts:
    statements: list[str] = field(default_factory=list)
    checkouts: int = 0
    pings: int = 0  # pool_pre_ping round trips (one per checkout when it is on), or core.dbping's idle pings

    @property
    def queries(self) -> list[str]:
        """The statements but transaction control: SQLite's driver sends BEGIN as a statement of its own,
        PostgreSQL's driver starts the transaction with the first query."""
        return [s for s in self.statements if not s.lstrip().upper().startswith("BEGIN")]

    @property
    def round_trips(self) -> int:
        return len(self.queries) + self.pings


@contextmanager
def counting(engine):
    """Count what ``engine`` sends while the block runs."""
    counts = Counts()
    pre_ping = bool(getattr(engine.pool, "_pre_ping", False))

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        counts.statements.append(statement)

    def on_checkout(dbapi_connection, record, proxy):
        counts.checkouts += 1
        counts.pings += int(pre_ping or record.info.get(PINGED, False))

    event.listen(engine, "before_cursor_execute", on_statement)
    event.listen(engine.pool, "checkout", on_checkout)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", on_statement)
        event.remove(engine.pool, "checkout", on_checkout)
