"""The audit trail is append-only in the database itself (SEC-20), not only by the application's convention.

Triggers refuse UPDATE and DELETE on the dossier history (``dossier_events``) and the administration change log
(``change_log``), on PostgreSQL and SQLite alike, so no code path, script or plugin can rewrite who did what. They
are created with the tables (``create_all``) and by the Alembic revision core_0010; the SQL is the same.

TRUNCATE is not guarded (it is not a row change and needs its own privilege); for a stronger guarantee in
production, also REVOKE UPDATE, DELETE, TRUNCATE on these tables from the application's database role.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, text

GUARDED_TABLES = ("dossier_events", "change_log")
MESSAGE = "audit history is append-only"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION motcua_refuse_history_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def create_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [_PG_FUNCTION,
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION motcua_refuse_history_change()"]
    if dialect == "sqlite":
        return [f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} on {table} refused'); END"
                for op in ("UPDATE", "DELETE")]
    return []


def drop_statements(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]
    return []


def install(metadata) -> None:
    """Create the triggers whenever ``metadata`` creates a guarded table."""
    for name in GUARDED_TABLES:
        table = metadata.tables.get(name)
        if table is not None and not event.contains(table, "after_create", _after_create):
            event.listen(table, "after_create", _after_create)


def _after_create(table, connection, **_kwargs) -> None:
    for statement in create_statements(connection.dialect.name, table.name):
        connection.execute(text(statement))


@contextmanager
def lifted(connection):
    """Test teardown only: empty the guarded tables (SQLite has no TRUNCATE), then guard them again."""
    dialect = connection.dialect.name
    for name in GUARDED_TABLES:
        for statement in drop_statements(dialect, name):
            connection.execute(text(statement))
    try:
        yield
    finally:
        for name in GUARDED_TABLES:
            for statement in create_statements(dialect, name):
                connection.execute(text(statement))
