"""reused_results: earlier electronic results attached to a dossier instead of a paper (issue 11, item 6).

The citizens' helper's second table (its id core_0017 was taken by the citizens' table, which landed before the
results table it refers to): it follows core_0016 (after core_0015, the dossier_results it points at).

Revision ID: core_0017b
Revises: core_0016
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

import core.db_types

revision = 'core_0017b'
down_revision = 'core_0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reused_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('result_id', sa.Integer(), nullable=False),
    sa.Column('document_name', sa.String(length=500), nullable=False),
    sa.Column('purpose', sa.String(length=300), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', core.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_reused_results_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['result_id'], ['dossier_results.id'],
                            name=op.f('fk_reused_results_result_id_dossier_results')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reused_results_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reused_results')),
    sa.UniqueConstraint('dossier_id', 'result_id', name=op.f('uq_reused_results_dossier_id_result_id'))
    )
    with op.batch_alter_table('reused_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reused_results_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reused_results_result_id'), ['result_id'], unique=False)


def downgrade():
    with op.batch_alter_table('reused_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reused_results_result_id'))
        batch_op.drop_index(batch_op.f('ix_reused_results_dossier_id'))
    op.drop_table('reused_results')
