from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=datetime.utcnow)


class Customer(TimestampMixin, Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), index=True, unique=True)
    phone: Mapped[Optional[str]] = mapped_column(String(32))
    name: Mapped[str]
    orders: Mapped[list["Order"]] = relationship(back_populates="customer")


class Order(TimestampMixin, Base):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))  # expect: db/unindexed-foreign-key:warning
    status: Mapped[str] = mapped_column(String(20))
    total: Mapped[Decimal]
    customer: Mapped["Customer"] = relationship(back_populates="orders")
    items: Mapped[list["Item"]] = relationship(back_populates="order", lazy="selectin")


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)  # ok: db/unindexed-foreign-key
    sku: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column(default=1)
    order: Mapped["Order"] = relationship(back_populates="items")
