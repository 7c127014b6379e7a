import sqlite3


def save_feedback(text):
    with sqlite3.connect("feedback.db") as conn:
        conn.execute("INSERT INTO feedback (text) VALUES (?)", (text,))
