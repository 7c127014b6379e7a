"""Maintenance helpers: SQL text built at runtime from values that cannot inject.

Each line here was a false alarm on real code (lnbits, ckan, mlflow, superset).
"""
import itertools
from math import ceil

import sqlalchemy as sa

from .db import get_db

ARCHIVE_TABLES = (("orders_archive", "orders"), ("order_items_archive", "order_items"))


def identifier(name):
    # Quotes an identifier the PostgreSQL way.
    return '"' + name.replace('"', '""') + '"'


class Database:
    """A wrapper that knows its dialect's spelling of a few things."""

    def __init__(self, dialect):
        self.dialect = dialect

    @property
    def timestamp_now(self):
        return "now()" if self.dialect == "postgres" else "CURRENT_TIMESTAMP"

    def execute(self, sql, params=()):
        cur = get_db().cursor()
        cur.execute(sql, params)
        return cur


def purge_expired(db: Database):
    db.execute(f"DELETE FROM sessions WHERE expires_at < {db.timestamp_now}")  # ok: db/sql-injection


def drop_archive(conn, table):
    conn.execute("DROP TABLE IF EXISTS {}".format(identifier(table)))  # ok: db/sql-injection


def create_archive(conn, native_json):
    conn.execute(sa.text("CREATE TABLE orders_archive (id BIGINT, data {0})".format("jsonb" if native_json else "text")))  # ok: db/sql-injection


def count_rows(conn, query):
    # `query` is SQL its callers wrote; this helper only wraps it.
    return conn.execute(f"SELECT count(*) FROM ({query}) AS q").fetchone()  # ok: db/sql-injection


def set_lock_timeout(conn, timeout_seconds):
    timeout_ms = max(1, ceil(timeout_seconds * 1000))
    conn.execute(f"SET LOCAL lock_timeout = '{timeout_ms}ms'")  # ok: db/sql-injection


def first_archive(conn):
    archive, source = ARCHIVE_TABLES[0]
    conn.execute(f"INSERT INTO {archive} SELECT * FROM {source} WHERE status = 'closed'")  # ok: db/sql-injection


class AddArchiveTrigger:
    """A migration operation (netbox keeps these outside migrations/): runs on the schema editor."""

    def __init__(self, table):
        self.table = table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{self.table}_archive" ON "{self.table}"')  # ok: db/sql-injection


EXPORT_COLUMNS = ("id", "status", "total_cents")


def export_archive(conn):
    cols = ", ".join(f'"{c}"' for c in EXPORT_COLUMNS)
    return conn.execute(f"SELECT {cols} FROM orders_archive").fetchall()  # ok: db/sql-injection


def copy_rows(conn, table, columns, rows):
    # Every column name goes through `identifier`; the values are bound.
    names = ", ".join(identifier(c) for c in columns)
    marks = ", ".join([f":v{i}" for i in range(len(columns))])
    conn.execute(sa.text(f"INSERT INTO {identifier(table)} ({names}) VALUES ({marks})"), rows)  # ok: db/sql-injection


def rebuild_sort_keys(connection, table, column):
    # Django's `quote_name`, kept under a short local name.
    qn = connection.ops.quote_name
    tbl, col = qn(table), qn(column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {tbl} SET sort_key = lower({col})")  # ok: db/sql-injection


def restart_sequence(op, table_name):
    # An Alembic helper outside migrations/: the bind is the migration's connection.
    bind = op.get_bind()
    return bind.execute(sa.text(f"SELECT max(id) FROM {table_name}")).scalar()  # ok: db/sql-injection


def reset_sequences(conn, statements):
    # A list of different statements, each run once: no query repeats per row.
    with conn.cursor() as cur:
        for sql in statements:
            cur.execute(sql)  # ok: db/n-plus-one


class Counters:
    MAX_RETRIES = 3

    def bump(self, conn, key):
        for attempt in range(self.MAX_RETRIES):
            cur = conn.cursor()
            cur.execute("UPDATE counters SET n = n + 1 WHERE key = %s", (key,))  # ok: db/n-plus-one
            if cur.rowcount:
                return attempt
        return None

    def touch_all(self, conn, keys):
        key_batches = [keys[i:i + 500] for i in range(0, len(keys), 500)]
        for batch in key_batches:
            conn.execute("UPDATE counters SET seen = 1 WHERE key = ANY(%s)", (batch,))  # ok: db/n-plus-one


def busy_ranges(conn):
    return conn.execute("SELECT start_at, end_at FROM bookings LIMIT 100").fetchall()


def split_range(start, end):
    return list(range(start, end))


def free_slots(conn):
    # `busy_ranges` runs once, before both loops of the comprehension.
    return [s for start, end in busy_ranges(conn) for s in split_range(start, end)]  # ok: db/n-plus-one


def update_fields(conn, record, fields):
    # Placeholder names numbered by a counter: `:val_0`, `:val_1`, ...
    counter = itertools.count()
    names = [f"val_{next(counter)}" for _ in fields]
    values = [":" + n for n in names]
    params = dict(zip(names, [record[f] for f in fields]))
    conn.execute(sa.text("UPDATE items SET (a, b) = ({})".format(", ".join(values))), params)  # ok: db/sql-injection


def update_from_cursor(conn, record, fields, rows):
    # The next item of something that is not a counter is what it holds.
    first = next(iter(rows))
    conn.execute(sa.text(f"UPDATE items SET a = 1 WHERE b = '{first}'"), record)  # expect: db/sql-injection


def insert_many(conn, rows):
    # Placeholder names numbered by their position: `:v0`, `:v1`, ...
    marks = ", ".join(f":v{i}" for i, _ in enumerate(rows))
    conn.execute(sa.text(f"INSERT INTO items (a) VALUES ({marks})"), {f"v{i}": r for i, r in enumerate(rows)})  # ok: db/sql-injection


def insert_each(conn, rows):
    # The item `enumerate` pairs with the position is the row itself.
    for i, row in enumerate(rows):
        conn.execute(sa.text(f"INSERT INTO items (a, b) VALUES ({i}, '{row}')"))  # expect: db/sql-injection, db/n-plus-one
