import sqlite3

DB_PATH = "shop.db"


def connect():
    return sqlite3.connect(DB_PATH)


def fetch_orders(customer_id):
    conn = connect()
    cur = conn.cursor()
    cur.execute("SELECT id, total FROM orders WHERE customer_id = ?", (customer_id,))  # expect: db/unbounded-query:warning
    return cur.fetchall()


def insert_order(customer_id, total):
    conn = connect()
    conn.execute("INSERT INTO orders (customer_id, total) VALUES (?, ?)", (customer_id, total))
    conn.commit()
