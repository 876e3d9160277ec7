-- Refunds (docs/saga.md): a CONFIRMED order cancelled within the refund window goes REFUNDING, then CANCELLED
-- with the reason REFUNDED. What the REFUNDING state keeps: which of its two replies arrived, and when the order
-- was confirmed (the refund window counts from it).
ALTER TABLE customer_order DROP CONSTRAINT customer_order_status_check;
ALTER TABLE customer_order ADD CONSTRAINT customer_order_status_check
    CHECK (status IN ('PENDING', 'AWAITING_PAYMENT', 'CONFIRMING', 'COMPENSATING', 'REFUNDING',
                      'CONFIRMED', 'CANCELLED', 'FAILED'));
ALTER TABLE customer_order DROP CONSTRAINT customer_order_cancellation_reason_check;
ALTER TABLE customer_order ADD CONSTRAINT customer_order_cancellation_reason_check
    CHECK (cancellation_reason IN ('OUT_OF_STOCK', 'PAYMENT_DECLINED', 'TIMEOUT', 'CUSTOMER_REQUEST', 'REFUNDED'));

ALTER TABLE customer_order ADD COLUMN stock_returned   boolean     NOT NULL DEFAULT false;
ALTER TABLE customer_order ADD COLUMN payment_refunded boolean     NOT NULL DEFAULT false;
ALTER TABLE customer_order ADD COLUMN confirmed_at     timestamptz;
-- Orders confirmed before this version: confirmed when they last changed, which was their confirmation.
UPDATE customer_order SET confirmed_at = updated_at WHERE status = 'CONFIRMED';
ALTER TABLE customer_order ADD CONSTRAINT customer_order_confirmed_at_check
    CHECK ((status IN ('CONFIRMED', 'REFUNDING')) <= (confirmed_at IS NOT NULL));
