"""A snapshot of an old model, used by data migrations: history, not the schema."""
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class LegacyCart(Base):
    __tablename__ = "legacy_carts"
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("users.id"))  # ok: db/unindexed-foreign-key
