"""users.credential_version: part of every session's identity, raised to end all sessions of a user (SEC-08).

Sessions are signed cookies with no server-side state; a logout, a password change or a deactivation raises the
version, and a cookie carrying an older one is no longer accepted. Sessions opened before this revision carry no
version and end once (everyone logs in again after the upgrade).

Revision ID: core_0009
Revises: core_0008
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0009'
down_revision = 'core_0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credential_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('credential_version')
