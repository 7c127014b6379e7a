"""Connections and the helpers views share."""
import os

import psycopg2

ITEM_TOTAL = "SELECT sum(quantity) FROM order_items WHERE order_id = %s"


def get_db():
    return psycopg2.connect(os.environ["DATABASE_URL"])


def _sum_items(cur, order_id):
    cur.execute(ITEM_TOTAL, (order_id,))
    return cur.fetchone()[0] or 0


def order_total(cur, order_id):
    # Two calls deep from the loop in orders.order_totals.
    return _sum_items(cur, order_id)
