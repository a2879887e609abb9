"""Electronic results: one row per signed output document of an approved dossier (core.results, issue 11 item 4).

Revision ID: core_0015
Revises: core_0017 (landed first; one head)
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

from core.db_types import UTCDateTime

revision = 'core_0015'
down_revision = 'core_0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dossier_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('document_sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('signer', sa.String(length=300), nullable=False),
        sa.Column('signed_at', UTCDateTime(), nullable=False),
        sa.Column('delivered_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_results_dossier_id_dossiers')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_dossier_results_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_results')),
        sa.UniqueConstraint('dossier_id', 'key', name=op.f('uq_dossier_results_dossier_id_key')),
        sa.UniqueConstraint('sha256', name=op.f('uq_dossier_results_sha256')),
        sa.UniqueConstraint('document_sha256', name=op.f('uq_dossier_results_document_sha256')),
    )
    with op.batch_alter_table('dossier_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_results_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dossier_results_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('dossier_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_results_unit_id'))
        batch_op.drop_index(batch_op.f('ix_dossier_results_dossier_id'))
    op.drop_table('dossier_results')
