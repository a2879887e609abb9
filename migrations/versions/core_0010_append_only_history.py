"""The dossier history and the change log refuse UPDATE and DELETE in the database itself (SEC-20).

Triggers on ``dossier_events`` and ``change_log`` (PostgreSQL: one plpgsql function, a BEFORE UPDATE OR DELETE row
trigger per table; SQLite: RAISE(ABORT) triggers). The same SQL as ``core.audit_guard``, which creates them with
``create_all``; written out here so the revision never changes with the application code.

Revision ID: core_0010
Revises: core_0009
Create Date: 2026-11-29
"""
from alembic import op

revision = 'core_0010'
down_revision = 'core_0009'
branch_labels = None
depends_on = None

TABLES = ("dossier_events", "change_log")
MESSAGE = "audit history is append-only"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
CREATE OR REPLACE FUNCTION motcua_refuse_history_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
""")
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION motcua_refuse_history_change()")
    else:
        for table in TABLES:
            for operation in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} BEFORE {operation} "
                           f"ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {operation} on {table} refused'); END")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS motcua_refuse_history_change()")
    else:
        for table in TABLES:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
