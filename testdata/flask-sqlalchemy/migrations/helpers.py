"""Helpers the revisions share (the kind Superset keeps in migrations/shared)."""
from alembic import op


def create_index(table_name, index_name, columns):
    op.create_index(index_name, table_name, columns)
