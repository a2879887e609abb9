"""Merging units (the 2025 reform): a unit's successor and merge date; merges count as hand-overs in reports.

The partial index over hand-overs now covers the ``unit_merged`` history rows too (reports read both kinds).

Revision ID: core_0013
Revises: core_0012
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0013'
down_revision = 'core_0012'
branch_labels = None
depends_on = None

_OLD = "action = 'transfer'"
_NEW = "action IN ('transfer', 'unit_merged')"


def _index(batch_op, where: str):
    batch_op.create_index('ix_dossier_events_transfers', ['dossier_id', 'at'], unique=False,
                          postgresql_where=sa.text(where), sqlite_where=sa.text(where))


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('successor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_on', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_units_successor_id_units'), 'units', ['successor_id'], ['id'])
    with op.batch_alter_table('dossier_events', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_events_transfers')
        _index(batch_op, _NEW)


def downgrade():
    with op.batch_alter_table('dossier_events', schema=None) as batch_op:
        batch_op.drop_index('ix_dossier_events_transfers')
        _index(batch_op, _OLD)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_units_successor_id_units'), type_='foreignkey')
        batch_op.drop_column('merged_on')
        batch_op.drop_column('successor_id')
