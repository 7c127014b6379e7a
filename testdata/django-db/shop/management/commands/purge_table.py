"""An operator's clean-up: the table and the lock id come from the command line."""
from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("table")
        parser.add_argument("--lock-id", type=int, default=7)

    def handle(self, *args, **options):
        self.purge(options["table"], options["lock_id"])

    def purge(self, table, lock_id):
        with connection.cursor() as cursor:
            # Whoever runs this already holds the database credentials.
            cursor.execute(f"SELECT pg_advisory_lock({lock_id})")  # ok: db/sql-injection
            cursor.execute(f"DELETE FROM {table} WHERE archived")  # ok: db/sql-injection
