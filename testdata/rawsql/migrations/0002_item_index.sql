-- Items are read per order.
CREATE INDEX order_items_order_idx ON order_items (order_id);
