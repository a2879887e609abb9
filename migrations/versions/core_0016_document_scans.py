"""Each paper of a dossier's checklist points to its scan: the attachment digitised at the counter or uploaded online.

The paper is digitised when it has one (Decree 45/2020: papers received are digitised and attached to the dossier);
re-scanning points to the newer attachment, the older one stays on the dossier and in its history.

Revision ID: core_0016
Revises: core_0015
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0016'
down_revision = 'core_0015'
branch_labels = None
depends_on = None


def upgrade():
    # Nothing refers to dossier_documents, so SQLite's batch rebuild of it is safe with foreign keys on.
    with op.batch_alter_table('dossier_documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_dossier_documents_attachment_id_attachments'), 'attachments',
                                    ['attachment_id'], ['id'])


def downgrade():
    with op.batch_alter_table('dossier_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dossier_documents_attachment_id_attachments'), type_='foreignkey')
        batch_op.drop_column('attachment_id')
