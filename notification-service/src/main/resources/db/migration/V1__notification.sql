-- One customer notification about an order: what to send, to whom, and how its delivery went.
-- Everything needed to render the email is kept on the row (order_summary, the order as the lifecycle
-- event carried it), so delivery and retries never need another service.
CREATE TABLE notification (
    id              UUID         PRIMARY KEY,
    order_id        UUID         NOT NULL,
    -- The orders.events envelope id this notification answers. With type, unique: one notification per
    -- event whatever is redelivered, replayed or raced by two replicas (INSERT ... ON CONFLICT DO NOTHING).
    source_event_id UUID         NOT NULL,
    channel         VARCHAR(20)  NOT NULL CHECK (channel IN ('EMAIL')),
    type            VARCHAR(40)  NOT NULL CHECK (type IN ('ORDER_CONFIRMED', 'ORDER_CANCELLED', 'PAYMENT_DECLINED')),
    recipient       VARCHAR(320) NOT NULL,
    order_summary   JSONB        NOT NULL,
    -- PENDING: waiting for its first delivery; RETRYING: a transient failure, back through a retry tier;
    -- SENT: the SMTP server accepted it; FAILED: parked in notification.email.dlq (permanent failure or
    -- tiers used up) until an operator replays it.
    status          VARCHAR(20)  NOT NULL CHECK (status IN ('PENDING', 'RETRYING', 'SENT', 'FAILED')),
    attempts        INTEGER      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      VARCHAR(1000),
    created_at      TIMESTAMPTZ  NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL,
    sent_at         TIMESTAMPTZ,
    CONSTRAINT notification_one_per_event UNIQUE (source_event_id, type),
    CONSTRAINT notification_sent_has_time CHECK ((status = 'SENT') = (sent_at IS NOT NULL))
);

-- GET /api/notifications?orderId=, oldest first.
CREATE INDEX notification_order_id_idx ON notification (order_id, created_at);
