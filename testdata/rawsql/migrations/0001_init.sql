-- Shop schema for the raw SQL service (PostgreSQL).

CREATE TABLE customers (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

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
    total_cents BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Serves lookups by customer, and by customer and status (not by status alone).
CREATE INDEX orders_customer_status_idx ON orders (customer_id, status);

CREATE TABLE order_items (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES orders (id), -- ok: db/unindexed-foreign-key
    product_id BIGINT NOT NULL REFERENCES products (id), -- expect: db/unindexed-foreign-key:warning
    quantity INT NOT NULL CHECK (quantity > 0)
);
