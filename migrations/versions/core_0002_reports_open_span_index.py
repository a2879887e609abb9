"""PostgreSQL-only index for the reports: GiST over each dossier's open span.

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-28

Autogenerate cannot write this one (an expression index that SQLite cannot hold), so it is written by hand; the
expression must stay identical to core.reports.models.open_span() for the planner to use it.
"""
from alembic import op

revision = 'core_0002'
down_revision = 'core_0001'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        "CREATE INDEX ix_dossiers_open_span ON dossiers USING gist "
        "(tsrange(received_at, CASE WHEN (finished_at < received_at) THEN received_at ELSE finished_at END, '(]')) "
        "WHERE received_at IS NOT NULL"
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_dossiers_open_span', table_name='dossiers')
