"""The desk indexes also cover dossiers whose applicant asked to withdraw (national status 7).

The officers' queues read only dossiers still on a desk through two partial indexes. A withdrawal request
(``withdrawal_requested``) waits on the reception desk until the dossier is stopped, so the predicate of both
indexes gains that state. Alembic does not compare index predicates, hence a hand-written revision.

Revision ID: core_0004
Revises: core_0003
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa

revision = 'core_0004'
down_revision = 'core_0003'
branch_labels = None
depends_on = None

_BEFORE = ("submitted", "received", "in_progress", "supplement_requested", "awaiting_payment", "result_ready")
_AFTER = ("submitted", "received", "in_progress", "supplement_requested", "awaiting_payment",
          "withdrawal_requested", "result_ready")
_INDEXES = (("ix_dossiers_desk_receiving", "receiving_unit_id"), ("ix_dossiers_desk_competent", "competent_unit_id"))


def _recreate(states) -> None:
    predicate = sa.text("status IN (%s)" % ", ".join(f"'{s}'" for s in states))
    for name, unit_column in _INDEXES:
        op.drop_index(name, table_name="dossiers")
        op.create_index(name, "dossiers", [unit_column, "status", "due_at"], unique=False,
                        postgresql_where=predicate, sqlite_where=predicate)


def upgrade():
    _recreate(_AFTER)


def downgrade():
    _recreate(_BEFORE)
