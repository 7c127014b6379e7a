from datetime import datetime

from fastapi import APIRouter, Depends
from fastapi_limiter.depends import RateLimiter
from sqlalchemy import select

from app.db import SessionDep
from app.deps import get_current_user
from app.models import Item, Order

router = APIRouter(
    prefix="/orders",
    dependencies=[Depends(get_current_user), Depends(RateLimiter(times=60, seconds=60))],
)


@router.get("/")
async def list_orders(session: SessionDep):
    result = await session.execute(select(Order).order_by(Order.created_at.desc()))  # expect: db/unbounded-query:warning
    return result.scalars().all()


@router.get("/page")
async def list_orders_page(session: SessionDep, limit: int = 50, offset: int = 0):
    stmt = select(Order).order_by(Order.id).limit(limit).offset(offset)
    result = await session.execute(stmt)  # ok: db/unbounded-query
    return result.scalars().all()


@router.get("/open")
async def open_orders(session: SessionDep):
    # The composite index (status, created_at) serves status, then created_at.
    stmt = (
        select(Order)
        .where(Order.status == "open")
        .order_by(Order.created_at.desc())
        .limit(100)
    )
    orders = (await session.execute(stmt)).scalars().all()  # ok: db/missing-index, db/unbounded-query
    out = []
    for o in orders:
        items = await session.execute(select(Item).where(Item.order_id == o.id))  # expect: db/n-plus-one:warning
        out.append({"id": o.id, "items": len(items.scalars().all())})
    return out


@router.get("/since")
async def orders_since(since: datetime, session: SessionDep):
    # created_at is the second column of the composite index: not served alone.
    stmt = select(Order).where(Order.created_at >= since).limit(100)
    rows = await session.scalars(stmt)  # expect: db/missing-index:warning
    return [{"id": o.id} for o in rows]


@router.get("/by-customer/{customer_id}")
async def orders_of_customer(customer_id: int, session: SessionDep):
    stmt = select(Order).where(Order.customer_id == customer_id).limit(50)
    return (await session.scalars(stmt)).all()  # expect: db/missing-index:warning


@router.get("/counts")
async def order_counts(session: SessionDep):
    counts = {}
    for status in ("open", "paid", "shipped"):
        stmt = select(Order).where(Order.status == status).limit(1000)
        counts[status] = len((await session.scalars(stmt)).all())  # ok: db/n-plus-one, db/missing-index
    return counts


def with_status(stmt, status: str):
    return stmt.where(Order.status == status).limit(50), 50


@router.get("/search")
async def search_orders(status: str, session: SessionDep):
    stmt = select(Order).where(Order.total > 100)
    # Rebound from a tuple: the statement run below is not the one above.
    stmt, page_size = with_status(stmt, status)
    rows = (await session.scalars(stmt)).all()  # ok: db/missing-index, db/unbounded-query
    return {"page_size": page_size, "items": [{"id": o.id} for o in rows]}
