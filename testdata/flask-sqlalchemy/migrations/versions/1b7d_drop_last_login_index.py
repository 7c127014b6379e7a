"""drop the last-login index (it slowed down logins)

Revision ID: 1b7d05f9e003
Revises: 3f1a77c2e002
"""
from alembic import op

revision = "1b7d05f9e003"
down_revision = "3f1a77c2e002"


def upgrade():
    # File names sort this revision first; only the revision chain applies it last.
    op.drop_index("ix_users_last_login", table_name="users")


def downgrade():
    op.create_index("ix_users_last_login", "users", ["last_login"])
