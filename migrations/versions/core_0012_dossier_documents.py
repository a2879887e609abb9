"""The papers handed in with each dossier: one row per paper of the procedure's checklist.

Reception records which papers of the catalogue the applicant gave (Mẫu 01 lists them) and whether each is required;
the paperless work adds its own columns (digitisation, attachment) to the same rows.

Revision ID: core_0012
Revises: core_0011
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0012'
down_revision = 'core_0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dossier_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dossier_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=500), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('required', sa.Boolean(), nullable=False),
        sa.Column('provided', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_documents_dossier_id_dossiers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_documents')),
        sa.UniqueConstraint('dossier_id', 'position', name=op.f('uq_dossier_documents_dossier_id_position')),
    )
    with op.batch_alter_table('dossier_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_documents_dossier_id'), ['dossier_id'], unique=False)


def downgrade():
    with op.batch_alter_table('dossier_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_documents_dossier_id'))
    op.drop_table('dossier_documents')
