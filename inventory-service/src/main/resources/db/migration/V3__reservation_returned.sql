-- RETURNED: the stock of a CONFIRMED reservation came back on hand (on_hand went up by each line's quantity)
-- because the order was refunded (the saga's ReturnStock). Terminal, like the others; it is the record that
-- makes a repeated ReturnStock answer StockReturned without putting the stock back twice.
--
-- The status check of V1 is replaced, under the same name, by one that also allows it: one statement, so there
-- is no moment without a check. Every existing row satisfies the new one.
ALTER TABLE reservation
    DROP CONSTRAINT reservation_status_known,
    ADD CONSTRAINT reservation_status_known
        CHECK (status IN ('RESERVED', 'CONFIRMED', 'RELEASED', 'EXPIRED', 'REJECTED', 'RETURNED'));
