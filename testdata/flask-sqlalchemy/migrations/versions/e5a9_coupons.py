"""coupons (created as promo_codes, then renamed); a descending price index

Revision ID: e5a9c3d1f004
Revises: 1b7d05f9e003
"""
import sqlalchemy as sa
from alembic import op

from migrations.helpers import create_index

revision = "e5a9c3d1f004"
down_revision = "1b7d05f9e003"

COUPON_INDEXES = [
    ("ix_coupons_code", ["code"]),
    ("ix_coupons_expires_at", ["expires_at"]),
]


def upgrade():
    op.create_table(
        "promo_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("percent", sa.Integer(), nullable=False),
    )
    op.rename_table("promo_codes", "coupons")
    # Indexes created in a loop over a literal list, and through a helper.
    for name, columns in COUPON_INDEXES:
        op.create_index(name, "coupons", columns)
    create_index("products", "ix_products_price_desc", [sa.text("price DESC")])


def downgrade():
    op.drop_index("ix_products_price_desc", table_name="products")
    op.drop_table("coupons")
