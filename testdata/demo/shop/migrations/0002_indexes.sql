-- Lookups by customer and by order are on every page.
CREATE INDEX ix_orders_customer_id ON orders (customer_id);
CREATE INDEX ix_order_items_order_id_sku ON order_items (order_id, sku);
