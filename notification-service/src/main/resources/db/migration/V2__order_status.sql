-- Live order status (package shop.notification.live): the latest status of each order seen on orders.events, so a
-- WebSocket client that connects later is told the current status at once.
-- Every replica's own consumer writes it (each replica reads every event), with a monotonic upsert: a row changes
-- only when the event's `at` is later than the stored one, so replicas writing the same row, redeliveries and
-- events arriving out of order are harmless.
CREATE TABLE order_status (
    order_id            UUID PRIMARY KEY,
    status              VARCHAR(32)  NOT NULL,
    cancellation_reason VARCHAR(32),
    -- When the transition happened (the event's `at`), microsecond precision; decides which write wins.
    at                  TIMESTAMPTZ  NOT NULL,
    -- When this replica last wrote the row, for operators.
    updated_at          TIMESTAMPTZ  NOT NULL DEFAULT now()
);
