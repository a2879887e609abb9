"""citizens: identities signed in with VNeID through OpenID Connect (issue 11).

Revision ID: core_0017
Revises: core_0014
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

import core.db_types

revision = 'core_0017'
down_revision = 'core_0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('citizens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('id_number', sa.String(length=12), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('created_at', core.db_types.UTCDateTime(), nullable=False),
    sa.Column('signed_in_at', core.db_types.UTCDateTime(), nullable=False),
    sa.Column('session_version', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizens')),
    sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_citizens_issuer_subject'))
    )
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizens_id_number'), ['id_number'], unique=False)


def downgrade():
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizens_id_number'))
    op.drop_table('citizens')
