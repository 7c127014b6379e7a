"""Customer lookups: an indexed column, and one no index serves."""
from flask import request

from .app import app
from .db import get_db
from .queries import CUSTOMER_BY_EMAIL


@app.get("/customers/by-email")
def customer_by_email():
    cur = get_db().cursor()
    cur.execute(CUSTOMER_BY_EMAIL, (request.args["email"],))  # ok: db/missing-index
    return cur.fetchone() or ({}, 404)


@app.get("/customers/by-phone")
def customer_by_phone():
    cur = get_db().cursor()
    cur.execute("SELECT id, email, name FROM customers WHERE phone = %s", (request.args["phone"],))  # expect: db/missing-index:warning
    return cur.fetchone() or ({}, 404)
