"""Orders: a composite index used through its prefix, loops that query per row."""
from flask import request

from .app import app
from .db import get_db, order_total
from .queries import Orders

ITEMS_OF_ORDER = "SELECT product_id, quantity FROM order_items WHERE order_id = %s"


@app.get("/customers/<int:customer_id>/orders")
def customer_orders(customer_id):
    cur = get_db().cursor()
    status = request.args.get("status")
    if status:
        cur.execute(Orders.BY_CUSTOMER_AND_STATUS, (customer_id, status))  # ok: db/missing-index
    else:
        cur.execute(Orders.BY_CUSTOMER, (customer_id,))  # ok: db/missing-index
    return {"orders": cur.fetchall()}


@app.get("/orders/by-status")
def orders_by_status():
    conn = get_db()
    rows = conn.cursor().execute(  # expect: db/missing-index:warning
        "SELECT id, customer_id FROM orders WHERE status = %s LIMIT 50", (request.args["status"],)
    )
    return {"orders": rows}


@app.get("/customers/<int:customer_id>/orders/items")
def order_items(customer_id):
    cur = get_db().cursor()
    cur.execute(Orders.BY_CUSTOMER, (customer_id,))
    result = []
    for order_id, status, total in cur.fetchall():
        cur.execute(ITEMS_OF_ORDER, (order_id,))  # expect: db/n-plus-one:warning
        result.append({"id": order_id, "items": cur.fetchall()})
    return {"orders": result}


@app.get("/customers/<int:customer_id>/orders/totals")
def order_totals(customer_id):
    cur = get_db().cursor()
    cur.execute(Orders.BY_CUSTOMER, (customer_id,))
    ids = [row[0] for row in cur.fetchall()]
    return {"totals": [order_total(cur, i) for i in ids]}  # expect: db/n-plus-one:warning


@app.get("/customers/<int:customer_id>/orders/counts")
def order_counts(customer_id):
    cur = get_db().cursor()
    counts = {}
    for status in ("new", "paid", "shipped"):
        cur.execute(Orders.COUNT_BY_STATUS, (customer_id, status))  # ok: db/n-plus-one
        counts[status] = cur.fetchone()[0]
    for _ in range(1):
        cur.execute("SELECT count(*) FROM orders WHERE customer_id = %s", (customer_id,))  # ok: db/n-plus-one
    return counts
