"""Name and code search indexed on PostgreSQL: pg_trgm GIN indexes on the folded name and the code (issue 16).

An officer's search is ``LIKE '%…%'`` on ``applicant_name_folded`` and ``code``; a b-tree cannot serve a pattern
that starts with a wildcard, so a district's search read the whole table. Trigram indexes serve it. pg_trgm ships
with PostgreSQL (Debian's server package) and is a trusted extension: the database owner may create it. SQLite
keeps its plain scan (a commune's data), so nothing is done there. Hand-written, like core_0002: the models do not
declare these indexes (migrations/env.py leaves them out of autogenerate).

Revision ID: core_0014
Revises: core_0013
Create Date: 2026-11-29
"""
from alembic import op

revision = 'core_0014'
down_revision = 'core_0013'
branch_labels = None
depends_on = None

INDEXES = {'ix_dossiers_name_trgm': 'applicant_name_folded', 'ix_dossiers_code_trgm': 'code'}


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for name, column in INDEXES.items():
        op.execute(f'CREATE INDEX IF NOT EXISTS {name} ON dossiers USING gin ({column} gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for name in INDEXES:
        op.execute(f'DROP INDEX IF EXISTS {name}')
