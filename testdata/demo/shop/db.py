import sqlite3

DB_PATH = "shop.db"
ORDERS = "orders"


def connect():
    return sqlite3.connect(DB_PATH)


def fetch_orders(customer_id):
    conn = connect()
    cur = conn.cursor()
    cur.execute("SELECT id, total FROM orders WHERE customer_id = ?", (customer_id,))  # expect: db/unbounded-query:warning
    return cur.fetchall()


def count_items(order_id):
    conn = connect()
    # order_items is indexed on (order_id, sku): its leading column serves this.
    return conn.execute(  # ok: db/missing-index, related: db/n-plus-one
        "SELECT count(*) FROM order_items WHERE order_id = ?", (order_id,)
    ).fetchone()[0]


def orders_with_status(status):
    conn = connect()
    return conn.execute(  # expect: db/missing-index
        "SELECT id, total FROM orders WHERE status = ? ORDER BY id LIMIT 50", (status,)
    ).fetchall()


def search_orders(term):
    conn = connect()
    return conn.execute(  # expect: db/sql-injection
        f"SELECT id, total FROM orders WHERE customer_id = 1 AND note LIKE '%{term}%' LIMIT 20"  # related: db/sql-injection
    ).fetchall()


def search_orders_safely(term):
    conn = connect()
    return conn.execute(  # ok: db/sql-injection
        "SELECT id, total FROM orders WHERE customer_id = 1 AND note LIKE ? LIMIT 20", (f"%{term}%",)
    ).fetchall()


def count_orders():
    conn = connect()
    # Only constants go into this f-string.
    return conn.execute(f"SELECT count(*) FROM {ORDERS}").fetchone()  # ok: db/sql-injection


def insert_order(customer_id, total):
    conn = connect()
    conn.execute("INSERT INTO orders (customer_id, total) VALUES (?, ?)", (customer_id, total))
    conn.commit()
