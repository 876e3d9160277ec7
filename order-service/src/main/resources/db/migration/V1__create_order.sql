-- Orders and their saga state (docs/saga.md). One row per order: the saga is a state machine on the
-- order itself, so the decision and the outgoing commands (outbox) commit in one transaction.
CREATE TABLE customer_order (
    id                    uuid PRIMARY KEY,
    customer_id           uuid          NOT NULL,
    customer_email        varchar(254)  NOT NULL,
    status                varchar(20)   NOT NULL
        CHECK (status IN ('PENDING', 'AWAITING_PAYMENT', 'CONFIRMING', 'COMPENSATING',
                          'CONFIRMED', 'CANCELLED', 'FAILED')),
    -- Set when the saga decides to cancel (already while COMPENSATING), kept once CANCELLED.
    cancellation_reason   varchar(20)
        CHECK (cancellation_reason IN ('OUT_OF_STOCK', 'PAYMENT_DECLINED', 'TIMEOUT', 'CUSTOMER_REQUEST')),
    total                 numeric(12, 2) NOT NULL CHECK (total >= 0),
    currency              char(3)       NOT NULL,
    -- The client's payment token, kept only until AuthorizePayment is handed to the outbox.
    payment_token         varchar(200),
    -- What the saga has asked for and heard back; decides what a timeout re-sends and when a step is done.
    payment_requested     boolean       NOT NULL DEFAULT false,
    stock_confirmed       boolean       NOT NULL DEFAULT false,
    payment_captured      boolean       NOT NULL DEFAULT false,
    stock_released        boolean       NOT NULL DEFAULT false,
    payment_voided        boolean       NOT NULL DEFAULT false,
    -- When the current step times out; null in terminal states. Persisted so any replica fires it.
    step_deadline         timestamptz,
    -- Re-sends of the current step's commands after a timeout (CONFIRMING, COMPENSATING).
    compensation_attempts integer       NOT NULL DEFAULT 0,
    -- Optimistic locking: every update is "WHERE version = :read".
    version               bigint        NOT NULL DEFAULT 0,
    created_at            timestamptz   NOT NULL,
    updated_at            timestamptz   NOT NULL,
    CHECK ((status IN ('CONFIRMED', 'CANCELLED', 'FAILED')) = (step_deadline IS NULL)),
    CHECK ((status = 'CANCELLED') <= (cancellation_reason IS NOT NULL))
);

-- GET /api/orders?customerId=...: a customer's orders, newest first.
CREATE INDEX customer_order_customer_idx ON customer_order (customer_id, created_at DESC, id);
-- The step-timeout sweeper: due orders only (terminal ones have no deadline).
CREATE INDEX customer_order_step_deadline_idx ON customer_order (step_deadline) WHERE step_deadline IS NOT NULL;

CREATE TABLE order_line (
    order_id    uuid          NOT NULL REFERENCES customer_order (id) ON DELETE CASCADE,
    line_number integer       NOT NULL,
    product_id  uuid          NOT NULL,
    sku         varchar(40)   NOT NULL,
    name        varchar(200)  NOT NULL,
    unit_price  numeric(12, 2) NOT NULL CHECK (unit_price >= 0),
    quantity    integer       NOT NULL CHECK (quantity > 0),
    line_total  numeric(12, 2) NOT NULL CHECK (line_total >= 0),
    PRIMARY KEY (order_id, line_number),
    UNIQUE (order_id, product_id)
);

-- Idempotency-Key of POST /api/orders (see IdempotencyKeys): claimed IN_FLIGHT before the work, COMPLETED
-- with the order in the order's own transaction.
CREATE TABLE idempotency_key (
    idempotency_key varchar(200) PRIMARY KEY,
    -- SHA-256 (hex) of the canonical request: the same key with another body is refused.
    request_hash    char(64)     NOT NULL,
    status          varchar(10)  NOT NULL CHECK (status IN ('IN_FLIGHT', 'COMPLETED')),
    -- Who holds the claim; a claim taken over after a crash gets a new one, so the old holder cannot complete.
    claim_id        uuid         NOT NULL,
    order_id        uuid         REFERENCES customer_order (id),
    claimed_at      timestamptz  NOT NULL,
    completed_at    timestamptz,
    CHECK ((status = 'COMPLETED') = (order_id IS NOT NULL))
);

CREATE INDEX idempotency_key_completed_idx ON idempotency_key (completed_at) WHERE status = 'COMPLETED';
