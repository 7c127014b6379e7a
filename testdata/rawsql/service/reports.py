"""Listings: one returns every row, one is bounded."""
from .app import app
from .db import get_db


@app.get("/products")
def all_products():
    cur = get_db().cursor()
    cur.execute("SELECT id, sku, title, price_cents FROM products")  # expect: db/unbounded-query:warning:medium
    return {"products": cur.fetchall()}


@app.get("/products/page")
def products_page():
    cur = get_db().cursor()
    cur.execute("SELECT id, sku, title FROM products ORDER BY id LIMIT 50")  # ok: db/unbounded-query
    return {"products": cur.fetchall()}


@app.get("/products/count")
def product_count():
    conn = get_db()
    rows = conn.execute("SELECT count(*) FROM products").fetchall()  # ok: db/unbounded-query
    return {"count": rows[0][0]}


@app.get("/products/by-price")
def products_by_price():
    # A row per price, not per product: reported with low confidence.
    cur = get_db().cursor()
    cur.execute(  # expect: db/unbounded-query:warning:low
        "SELECT price_cents, count(*) FROM products GROUP BY price_cents"
    )
    return {"prices": cur.fetchall()}
