"""Search: SQL built from request input, and look-alikes built safely."""
from flask import request

from .app import app
from .db import get_db

TABLE = "products"
SORTS = {"title": "title", "price": "price_cents"}


@app.get("/search")
def search():
    term = request.args.get("q", "")
    cur = get_db().cursor()
    cur.execute(f"SELECT id, title FROM products WHERE title LIKE '%{term}%' LIMIT 20")  # expect: db/sql-injection:error
    return {"results": cur.fetchall()}


@app.get("/search/sku")
def search_sku():
    cur = get_db().cursor()
    cur.execute("SELECT id, title FROM products WHERE sku = '%s'" % request.args["sku"])  # expect: db/sql-injection:error
    return cur.fetchone() or ({}, 404)


@app.get("/search/bound")
def search_bound():
    cur = get_db().cursor()
    cur.execute("SELECT id, title FROM products WHERE sku = %s", (request.args["sku"],))  # ok: db/sql-injection
    return cur.fetchone() or ({}, 404)


@app.get("/search/sorted")
def search_sorted():
    cur = get_db().cursor()
    order = SORTS.get(request.args.get("sort"), "id")
    page = int(request.args.get("page", 0))
    cur.execute(f"SELECT id, title FROM {TABLE} ORDER BY {order} LIMIT 20 OFFSET {page * 20}")  # ok: db/sql-injection
    return {"results": cur.fetchall()}


def rename_column(cur, table, old, new):
    # A maintenance helper: identifiers from its caller.
    cur.execute("ALTER TABLE {} RENAME COLUMN {} TO {}".format(table, old, new))  # expect: db/sql-injection:error


SORT_COLUMNS = ("title", "price_cents")


@app.get("/search/sorted")
def search_sorted():
    # A column name cannot be bound: it is checked against an allow-list.
    sort = request.args.get("sort", "title")
    if sort not in SORT_COLUMNS:
        return {"error": "unknown sort"}, 400
    cur = get_db().cursor()
    cur.execute(f"SELECT id, title FROM products ORDER BY {sort} LIMIT 20")  # ok: db/sql-injection
    return {"results": cur.fetchall()}
