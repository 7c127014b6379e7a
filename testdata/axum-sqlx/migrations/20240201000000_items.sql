-- Order lines and reviews.

CREATE TABLE order_items (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    quantity INT NOT NULL
);
ALTER TABLE order_items ADD CONSTRAINT order_items_order_fk FOREIGN KEY (order_id) REFERENCES orders (id); -- ok: db/unindexed-foreign-key
CREATE INDEX order_items_order ON order_items (order_id);

CREATE TABLE reviews (
    id BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id), -- expect: db/unindexed-foreign-key:warning
    rating INT NOT NULL,
    body TEXT NOT NULL
);
