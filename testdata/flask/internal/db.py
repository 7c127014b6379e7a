import sqlite3


def queue_job(payload):
    conn = sqlite3.connect("jobs.db")
    cur = conn.execute("INSERT INTO jobs (payload) VALUES (?)", (str(payload),))
    conn.commit()
    return cur.lastrowid
