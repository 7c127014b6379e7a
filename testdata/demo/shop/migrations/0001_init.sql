-- The shop's schema. sqlite3 runs these in file-name order at start-up.

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE coupons (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    percent_off INTEGER NOT NULL
);

CREATE TABLE orders (  -- related: db/missing-index, db/unindexed-foreign-key
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),  -- ok: db/unindexed-foreign-key
    coupon_id INTEGER REFERENCES coupons (id),  -- expect: db/unindexed-foreign-key
    status TEXT NOT NULL,
    note TEXT,
    total NUMERIC NOT NULL
);

CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders (id),  -- ok: db/unindexed-foreign-key
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL
);
