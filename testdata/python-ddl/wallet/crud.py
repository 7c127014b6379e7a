"""Queries of the service, on the tables the migrations create."""

from .database import db


async def account_by_email(email: str):
    # A unique index on email, created by m004.
    return await db.fetchone("SELECT * FROM accounts WHERE email = :email", {"email": email})  # ok: db/missing-index


async def account_by_handle(handle: str):
    return await db.fetchone("SELECT * FROM accounts WHERE handle = :handle", {"handle": handle})  # expect: db/missing-index


async def account_payments(account_id: str):
    # idx_payments_account_id comes from the loop in m002.
    return await db.fetchall(  # ok: db/missing-index
        "SELECT * FROM payments WHERE account_id = :a ORDER BY id LIMIT 100", {"a": account_id}
    )


async def pending_payments():
    # idx_payments_status was created, then dropped by m004.
    return await db.fetchall("SELECT id FROM payments WHERE status = 'pending' LIMIT 100")  # expect: db/missing-index


async def events_of_kind(kind: str):
    # `events` may have an index on any column (m003): nothing is concluded.
    return await db.fetchall("SELECT * FROM events WHERE kind = :kind LIMIT 50", {"kind": kind})  # ok: db/missing-index


async def invoice_by_number(number: str):
    return await db.fetchone("SELECT * FROM invoices WHERE number = :n", {"n": number})  # expect: db/missing-index


async def payments_grouped_by(field: str):
    # Reviewed for ruff's S608 already: the column comes from an allow-list.
    query = f"SELECT {field}, count(*) FROM payments GROUP BY {field} LIMIT 20"  # noqa: S608
    return await db.fetchall(query)  # ok: db/sql-injection


async def payments_sorted_by(field: str):
    query = f"SELECT id FROM payments ORDER BY {field} LIMIT 20"
    return await db.fetchall(query)  # expect: db/sql-injection


async def free_account_id(new_id):
    # Attempts until a generated id is free: not a query per item.
    for _ in range(50):
        candidate = new_id()
        if not await db.fetchone("SELECT 1 FROM accounts WHERE id = :id", {"id": candidate}):  # ok: db/n-plus-one
            return candidate
    raise RuntimeError("no free id")
