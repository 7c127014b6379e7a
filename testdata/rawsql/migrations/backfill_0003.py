"""A one-off data migration, run by an operator: not a query path of the service."""
import os

import psycopg2

TABLES = ("orders", "order_items")


def run(batch):
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    cur = conn.cursor()
    for table in TABLES:
        cur.execute(f"UPDATE {table} SET id = id WHERE id < {batch}")  # ok: db/sql-injection, db/n-plus-one
    conn.commit()
