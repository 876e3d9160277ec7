-- Outbox and inbox of libs/messaging, applied by each service's own Flyway from the library jar.
-- Repeatable (R__) so it never takes one of the service's version numbers; every statement is idempotent
-- because Flyway runs the whole script again whenever it changes. Evolve it only by appending idempotent
-- statements (ALTER TABLE ... ADD COLUMN IF NOT EXISTS, CREATE INDEX IF NOT EXISTS); never change a
-- column in place, since older replicas may still be running against the same table.

-- Messages a service has committed and the relay has yet to (or has) published. Written in the same
-- transaction as the state change they announce.
CREATE TABLE IF NOT EXISTS outbox_message (
    id             uuid        PRIMARY KEY,                 -- the envelope id
    -- Publishing order: insertion order. A sequence rather than created_at, because two rows of one
    -- transaction can share a timestamp and clocks can step back.
    seq            bigint      GENERATED ALWAYS AS IDENTITY,
    channel        text        NOT NULL CHECK (channel IN ('kafka', 'rabbit')),
    destination    text        NOT NULL,                    -- Kafka topic | RabbitMQ exchange
    message_key    text        NOT NULL,                    -- Kafka record key (order id) | AMQP routing key
    -- The envelope's correlationId (order id): the relay keeps one order's messages in sequence, whatever
    -- their channel or destination.
    correlation_id text        NOT NULL,
    message_type   text        NOT NULL,
    envelope       text        NOT NULL,                    -- the envelope JSON, published as the body
    created_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    available_at   timestamptz NOT NULL DEFAULT clock_timestamp(), -- next attempt not before
    attempts       integer     NOT NULL DEFAULT 0,
    last_error     text,
    sent_at        timestamptz                              -- null until the broker acknowledged it
);

-- The relay's scan: only unsent rows, in publishing order. Partial, so it stays small however many sent
-- rows the retention keeps.
CREATE INDEX IF NOT EXISTS outbox_message_unsent ON outbox_message (seq) WHERE sent_at IS NULL;
-- "Is an earlier message of this order still backing off?"
CREATE INDEX IF NOT EXISTS outbox_message_unsent_by_correlation
    ON outbox_message (correlation_id, seq) WHERE sent_at IS NULL;
-- Housekeeping deletes sent rows after the retention.
CREATE INDEX IF NOT EXISTS outbox_message_sent_at ON outbox_message (sent_at) WHERE sent_at IS NOT NULL;

-- Message ids a consumer has processed, written in the consumer's transaction together with its effects.
CREATE TABLE IF NOT EXISTS inbox_message (
    consumer     text        NOT NULL,
    message_id   uuid        NOT NULL,
    message_type text        NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (consumer, message_id)
);

CREATE INDEX IF NOT EXISTS inbox_message_received_at ON inbox_message (received_at);

-- Raw rows (dead-letter replays): the body and broker headers exactly as stored, instead of headers derived
-- from the envelope. Null for envelope rows. An envelope row's id is its message id; a raw row's id is its
-- own, since the same dead letter may be replayed more than once.
ALTER TABLE outbox_message ADD COLUMN IF NOT EXISTS headers jsonb;

-- "When did the broker acknowledge the newest message of this order?": order-service's saga measures a
-- step's deadline from there, so an outage of its own broker delays its orders instead of timing them out.
CREATE INDEX IF NOT EXISTS outbox_message_by_correlation ON outbox_message (correlation_id, sent_at);
