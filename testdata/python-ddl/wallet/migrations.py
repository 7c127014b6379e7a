"""Schema steps, run once each, in order, by the service at start-up."""

from .database import Connection


async def m001_initial(db: Connection):
    await db.execute("""
        CREATE TABLE IF NOT EXISTS accounts (
            id TEXT PRIMARY KEY,
            email TEXT NOT NULL,
            handle TEXT
        );
    """)
    await db.execute(f"""
        CREATE TABLE IF NOT EXISTS payments (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts (id), -- ok: db/unindexed-foreign-key
            amount {db.big_int} NOT NULL,
            status TEXT NOT NULL,
            memo TEXT,
            created_at TIMESTAMP NOT NULL DEFAULT {db.timestamp_now}
        );
    """)
    await db.execute("""
        CREATE TABLE IF NOT EXISTS invoices (
            id TEXT PRIMARY KEY,
            payment_id TEXT REFERENCES payments (id), -- expect: db/unindexed-foreign-key
            number TEXT NOT NULL
        );
    """)


async def m002_payment_indexes(db: Connection):
    # One index per column of the list: both are known.
    columns = ["account_id", "status"]
    for column in columns:
        await db.execute(f"CREATE INDEX IF NOT EXISTS idx_payments_{column} ON payments ({column})")  # ok: db/n-plus-one, db/sql-injection


async def m003_events(db: Connection, extra_columns):
    await db.execute("CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, kind TEXT, body TEXT)")
    # Which columns get an index is not known here: `events` is partly known.
    for column in extra_columns:
        await db.execute(f"CREATE INDEX IF NOT EXISTS idx_events_{column} ON events ({column})")  # ok: db/sql-injection


async def m004_account_email(db: Connection):
    await db.execute("ALTER TABLE accounts ADD COLUMN display_name TEXT")
    await db.execute("CREATE UNIQUE INDEX IF NOT EXISTS accounts_email ON accounts (email)")
    await db.execute("DROP INDEX IF EXISTS idx_payments_status")


async def m005_backfill_handles(db: Connection):
    rows = await db.fetchall("SELECT id, email FROM accounts")
    for row in rows:
        await db.execute(  # expect: db/n-plus-one:note
            "UPDATE accounts SET handle = :handle WHERE id = :id",
            {"handle": row["email"], "id": row["id"]},
        )
