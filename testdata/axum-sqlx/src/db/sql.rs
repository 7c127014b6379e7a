//! SQL constants used by the routes.

pub const CUSTOMER_BY_EMAIL: &str = "SELECT id, email, display_name FROM customers WHERE email = $1";

pub const ORDERS_OF_CUSTOMER: &str = concat!(
    "SELECT id, status FROM orders ",
    "WHERE customer_id = $1 AND status = $2 LIMIT 100"
);
