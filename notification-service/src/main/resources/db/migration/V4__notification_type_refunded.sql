-- ORDER_REFUNDED: the email for an order cancelled after it was confirmed (OrderCancelled with reason REFUNDED),
-- which says the payment was refunded.
--
-- V1 declared the type check on the column, so PostgreSQL named it notification_type_check. It is replaced, in one
-- statement (no moment without a check), by a named one that also allows the new type; every existing row
-- satisfies it.
ALTER TABLE notification
    DROP CONSTRAINT notification_type_check,
    ADD CONSTRAINT notification_type_known
        CHECK (type IN ('ORDER_CONFIRMED', 'ORDER_CANCELLED', 'PAYMENT_DECLINED', 'ORDER_REFUNDED'));
