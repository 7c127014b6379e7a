"""The same clean-up as a library function: any caller's data may reach it."""
from django.db import connection

from .models import Order


def purge(table):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE archived")  # expect: db/sql-injection


def purge_archived_orders():
    # The model's own table name: an identifier, not data.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Order._meta.db_table} WHERE archived")  # ok: db/sql-injection


def purge_model(model, status):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE archived")  # ok: db/sql-injection
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE status = '{status}'")  # expect: db/sql-injection
