"""Reports over asyncpg, in a FastAPI app with an API key and a rate limiter."""
import os

import asyncpg
from fastapi import Depends, FastAPI, Header, HTTPException
from slowapi.middleware import SlowAPIMiddleware


async def verify_api_key(x_api_key: str = Header(...)):
    if x_api_key != os.environ["SHOP_API_KEY"]:
        raise HTTPException(status_code=401)


api = FastAPI(dependencies=[Depends(verify_api_key)])
api.add_middleware(SlowAPIMiddleware)

BY_ID = "SELECT id, email, name FROM customers WHERE id = $1"


@api.get("/stats/customers/{customer_id}")
async def customer_stats(customer_id: int):
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    customer = await conn.fetchrow(BY_ID, customer_id)  # ok: db/missing-index
    orders = await conn.fetch(
        "SELECT id, total_cents FROM orders WHERE customer_id = $1 LIMIT 20", customer_id
    )  # ok: db/unbounded-query
    return {"customer": dict(customer), "orders": [dict(o) for o in orders]}


@api.get("/stats/products")
async def product_stats():
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    rows = await conn.fetch("SELECT id, sku, price_cents FROM products")  # expect: db/unbounded-query:warning
    return [dict(r) for r in rows]


@api.get("/stats/orders/{order_id}/lines")
async def order_lines(order_id: int):
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"])
    async with pool.acquire() as conn:
        items = await conn.fetch("SELECT product_id FROM order_items WHERE order_id = $1 LIMIT 100", order_id)
        titles = []
        for item in items:
            titles.append(await conn.fetchval("SELECT title FROM products WHERE id = $1", item["product_id"]))  # expect: db/n-plus-one:warning
    return {"titles": titles}


@api.get("/stats/search")
async def stats_search(name: str):
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    return await conn.fetchrow(f"SELECT id FROM customers WHERE name = '{name}'")  # expect: db/sql-injection:error, db/missing-index:warning
