-- Dead letters of libs/messaging, applied by each service's own Flyway from the library jar. Repeatable and
-- idempotent for the same reasons as R__messaging_outbox_inbox.sql: evolve only by appending idempotent
-- statements.

-- Messages this service's consumers gave up on, copied from the broker's dead-letter topic / queue (which
-- stays the place a failed message lands first) so operators can list, replay and discard them.
CREATE TABLE IF NOT EXISTS dead_letter (
    id              uuid        PRIMARY KEY,                 -- the dead letter's own id (the admin API's)
    broker          text        NOT NULL CHECK (broker IN ('kafka', 'rabbit')),
    -- Where it came from, broker-side and unique: kafka:<DLT topic>:<partition>:<offset>, or
    -- rabbit:<dlq>:<x-dead-letter-id> (fallbacks in DeadLetter ingestion). Ingesting it twice stores it once.
    broker_key      text        NOT NULL UNIQUE,
    source          text        NOT NULL,                    -- the topic / queue the message failed on
    consumer_group  text,                                    -- Kafka: the consumer group that failed it
    message_id      text,                                    -- text: a malformed message may carry anything
    message_type    text,
    correlation_id  text,
    record_key      text,                                    -- Kafka record key (replayed with it)
    error           text        NOT NULL,                    -- exception class: message
    attempts        integer     NOT NULL,
    failed_at       timestamptz NOT NULL,
    payload         text        NOT NULL,                    -- the original body, as text even if not JSON
    headers         jsonb       NOT NULL,                    -- the original headers, what a replay sends
    status          text        NOT NULL DEFAULT 'PARKED' CHECK (status IN ('PARKED', 'REPLAYED', 'DISCARDED')),
    replay_count    integer     NOT NULL DEFAULT 0,
    replayed_at     timestamptz,
    discarded_at    timestamptz,
    ingested_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- The admin listing: newest first, by status and optionally source.
CREATE INDEX IF NOT EXISTS dead_letter_by_status ON dead_letter (status, failed_at DESC);
CREATE INDEX IF NOT EXISTS dead_letter_by_source ON dead_letter (source, status, failed_at DESC);
