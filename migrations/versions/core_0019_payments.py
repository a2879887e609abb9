"""payments: online payments of a dossier's fee, their e-receipts and the receipt counter per unit and year
(issue 12, item 2).

Revision ID: core_0019
Revises: core_0017b
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

import core.db_types  # noqa: F401  (custom column types)

revision = 'core_0019'
down_revision = 'core_0017b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('payment_receipt_counters',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_payment_receipt_counters_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'year', name=op.f('pk_payment_receipt_counters'))
    )
    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', core.db_types.UTCDateTime(), nullable=False),
    sa.Column('paid_at', core.db_types.UTCDateTime(), nullable=True),
    sa.Column('transaction_id', sa.String(length=100), nullable=False),
    sa.Column('confirmed_via', sa.String(length=16), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_payments_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_payments_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_payments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('reference', name=op.f('uq_payments_reference'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_dossier_id'), ['dossier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_unit_id'), ['unit_id'], unique=False)
    op.create_table('payment_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('issued_at', core.db_types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_payment_receipts_payment_id_payments')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_payment_receipts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_receipts')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_payment_receipts_payment_id')),
    sa.UniqueConstraint('unit_id', 'year', 'number', name=op.f('uq_payment_receipts_unit_id_year_number'))
    )
    with op.batch_alter_table('payment_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_receipts_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('payment_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_receipts_unit_id'))
    op.drop_table('payment_receipts')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_payments_status'))
        batch_op.drop_index(batch_op.f('ix_payments_dossier_id'))
    op.drop_table('payments')
    op.drop_table('payment_receipt_counters')
