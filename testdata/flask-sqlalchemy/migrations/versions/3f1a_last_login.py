"""track last login; orders placed_at

Revision ID: 3f1a77c2e002
Revises: 9c2e41a0b001
"""
import sqlalchemy as sa
from alembic import op

revision = "3f1a77c2e002"
down_revision = "9c2e41a0b001"


def upgrade():
    op.add_column("users", sa.Column("last_login", sa.DateTime(), nullable=True))
    op.create_index("ix_users_last_login", "users", ["last_login"])
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("placed_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_orders_placed_at", ["placed_at"])


def downgrade():
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_index("ix_orders_placed_at")
        batch_op.drop_column("placed_at")
    op.drop_index("ix_users_last_login", table_name="users")
    op.drop_column("users", "last_login")
