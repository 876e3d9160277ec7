-- The payment of an order. At most one per order: the UNIQUE constraint on order_id is what makes
-- authorization idempotent whatever is redelivered, also when two deliveries race on two replicas
-- (both INSERT ... ON CONFLICT (order_id) DO NOTHING; one row wins, the other caller reads it).
CREATE TABLE payment (
    id                 UUID           PRIMARY KEY,
    order_id           UUID           NOT NULL,
    -- Money is NUMERIC(12,2) + an ISO-4217 code, never a float. Both are NULL only for a void that
    -- arrived before any authorization (a tombstone that keeps a late authorization from charging).
    amount             NUMERIC(12, 2) CHECK (amount > 0),
    currency           CHAR(3),
    -- PENDING: the provider call is in flight, or its answer was lost (crash, timeout); see Payment.
    status             VARCHAR(20)    NOT NULL
        CHECK (status IN ('PENDING', 'AUTHORIZED', 'DECLINED', 'CAPTURED', 'VOIDED', 'REFUNDED')),
    decline_reason     VARCHAR(100),
    -- The provider's id of the authorization, once approved.
    provider_reference VARCHAR(100),
    -- Optimistic locking: every UPDATE checks and increments it.
    version            BIGINT         NOT NULL DEFAULT 0,
    created_at         TIMESTAMPTZ    NOT NULL,
    updated_at         TIMESTAMPTZ    NOT NULL,
    -- When each step happened; a non-null value also means "this step was done", which is how a
    -- repeated command is recognised even after a later step (a capture repeated after the refund).
    authorized_at      TIMESTAMPTZ,
    captured_at        TIMESTAMPTZ,
    voided_at          TIMESTAMPTZ,
    refunded_at        TIMESTAMPTZ,
    CONSTRAINT payment_order_id_key UNIQUE (order_id),
    CONSTRAINT payment_amount_and_currency_together CHECK ((amount IS NULL) = (currency IS NULL)),
    CONSTRAINT payment_amount_known_unless_voided CHECK (amount IS NOT NULL OR status = 'VOIDED')
);

-- The built-in payment provider simulator stands in for an external provider, whose own storage would
-- remember idempotency keys and authorizations. It keeps that storage here, in a schema of its own, so it
-- survives restarts and is shared by every replica, as an external provider's would be. The service's
-- code never reads these tables; only the simulator (payment/provider) does.
CREATE SCHEMA provider_simulator;

-- Every request the simulator received, per idempotency key and operation (the test's "provider calls").
-- The AUTHORIZE row is also the lock that serialises concurrent requests with the same key.
CREATE TABLE provider_simulator.request (
    idempotency_key VARCHAR(100) NOT NULL,
    operation       VARCHAR(20)  NOT NULL CHECK (operation IN ('AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND')),
    calls           INTEGER      NOT NULL,
    first_call_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_call_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (idempotency_key, operation)
);

-- The final answer to an authorization, per idempotency key: the same key always gets this answer back.
-- An approved one is a charge on the card (status AUTHORIZED and later CAPTURED, VOIDED or REFUNDED); the
-- primary key makes it at most one per key.
CREATE TABLE provider_simulator.card_authorization (
    idempotency_key VARCHAR(100)   PRIMARY KEY,
    status          VARCHAR(20)    NOT NULL
        CHECK (status IN ('DECLINED', 'AUTHORIZED', 'CAPTURED', 'VOIDED', 'REFUNDED')),
    decline_reason  VARCHAR(100),
    reference       VARCHAR(40)    UNIQUE,
    amount          NUMERIC(12, 2),
    currency        CHAR(3),
    created_at      TIMESTAMPTZ    NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ    NOT NULL DEFAULT now(),
    CONSTRAINT card_authorization_approved_has_reference CHECK ((status = 'DECLINED') = (reference IS NULL))
);
