"""access_log: officers' views, downloads, prints and exports of personal data (SEC-10).

Revision ID: core_0011
Revises: core_0010
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

import core.db_types

revision = 'core_0011'
down_revision = 'core_0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', core.db_types.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_access_log_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_access_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_at'), ['at'], unique=False)
        batch_op.create_index('ix_access_log_unit_at', ['unit_id', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index('ix_access_log_unit_at')
        batch_op.drop_index(batch_op.f('ix_access_log_at'))
    op.drop_table('access_log')
