"""The same clean-up as a library function: any caller's data may reach it."""
from django.db import connection


def purge(table):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE archived")  # expect: db/sql-injection
