-- Catalog and orders (PostgreSQL, applied by `sqlx migrate run`).

CREATE TABLE customers (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    country TEXT NOT NULL
);
CREATE UNIQUE INDEX customers_email_key ON customers (email);

CREATE TABLE products (
    id BIGSERIAL PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    price_cents BIGINT NOT NULL
);

CREATE TABLE orders (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers (id), -- ok: db/unindexed-foreign-key
    status TEXT NOT NULL,
    placed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_status ON orders (customer_id, status);
