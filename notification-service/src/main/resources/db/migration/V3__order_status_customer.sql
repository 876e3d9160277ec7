-- Whose order each projected status is (the customerId of the order events' summary, the subject of that
-- customer's tokens): the live status WebSocket lets a customer watch only their own orders. Nullable: rows written
-- before this column get it with their order's next event; until then the handshake asks order-service.
ALTER TABLE order_status ADD COLUMN customer_id UUID;
