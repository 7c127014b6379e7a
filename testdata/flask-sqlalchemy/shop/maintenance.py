"""Table maintenance helpers, called from jobs and views alike: table names
that come from the models are identifiers the code declares; anything else
a caller passes may be data."""
from sqlalchemy import text

from .extensions import db
from .models import Order


def purge_cancelled():
    db.session.execute(text(f"DELETE FROM {Order.__tablename__} WHERE status = 'cancelled'"))  # ok: db/sql-injection  expect: db/missing-index


def truncate(model):
    db.session.execute(text(f"TRUNCATE {model.__table__.name}"))  # ok: db/sql-injection


def vacuum_orders(metadata):
    db.session.execute(text(f"VACUUM {metadata.tables['orders'].name}"))  # ok: db/sql-injection


def truncate_all(metadata):
    names = ", ".join(t.name for t in metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {names}"))  # ok: db/sql-injection


def purge_named(table_name):
    db.session.execute(text(f"DELETE FROM {table_name}"))  # expect: db/sql-injection


def purge_where(model, condition):
    db.session.execute(text(f"DELETE FROM {model.__tablename__} WHERE {condition}"))  # expect: db/sql-injection
