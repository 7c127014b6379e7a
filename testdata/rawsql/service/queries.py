"""SQL constants, module-level and grouped in a class."""

CUSTOMER_BY_EMAIL = (
    "SELECT id, email, name FROM customers "
    "WHERE email = %s"
)


class Orders:
    BY_CUSTOMER = "SELECT id, status, total_cents FROM orders WHERE customer_id = %s LIMIT 100"
    BY_CUSTOMER_AND_STATUS = (
        "SELECT id, total_cents FROM orders WHERE customer_id = %s AND status = %s LIMIT 100"
    )
    COUNT_BY_STATUS = "SELECT count(*) FROM orders WHERE customer_id = %s AND status = %s"
