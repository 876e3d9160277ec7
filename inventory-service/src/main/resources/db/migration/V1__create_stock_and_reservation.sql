-- Stock per product and the reservations that hold part of it for an order.
--
-- The invariants live here too, not only in Java: whatever code path (or operator with psql) changes a
-- row, stock can never be negative nor reserved beyond what is on hand, i.e. available >= 0.

CREATE TABLE stock (
    -- The product-service id; no foreign key: the catalog lives in another service's database.
    product_id UUID        PRIMARY KEY,
    on_hand    INTEGER     NOT NULL,
    reserved   INTEGER     NOT NULL DEFAULT 0,
    -- +1 on every change. Carried by StockChanged, so a consumer can drop a change older than one it has.
    version    BIGINT      NOT NULL DEFAULT 0,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT stock_on_hand_not_negative CHECK (on_hand >= 0),
    CONSTRAINT stock_reserved_not_negative CHECK (reserved >= 0),
    CONSTRAINT stock_available_not_negative CHECK (on_hand - reserved >= 0)
);

-- One row per order, whatever happened to it: it is also the idempotency record of the reservation
-- commands (a redelivered command finds it and answers what it says).
--   RESERVED  stock is held until confirmed, released or expired
--   CONFIRMED the stock left (on_hand and reserved both went down)
--   RELEASED  the stock was given back; also the tombstone of a release that came before its reserve
--   EXPIRED   the sweeper gave the stock back after expires_at
--   REJECTED  the reserve was refused (rejection_reason); nothing was ever held
CREATE TABLE reservation (
    order_id         UUID        PRIMARY KEY,
    status           VARCHAR(16) NOT NULL,
    rejection_reason VARCHAR(32),
    -- Only while stock is held; the sweeper may expire the reservation from then on.
    expires_at       TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT reservation_status_known
        CHECK (status IN ('RESERVED', 'CONFIRMED', 'RELEASED', 'EXPIRED', 'REJECTED')),
    CONSTRAINT reservation_rejected_has_reason
        CHECK ((status = 'REJECTED') = (rejection_reason IS NOT NULL)),
    CONSTRAINT reservation_held_expires
        CHECK (status <> 'RESERVED' OR expires_at IS NOT NULL)
);

-- What the sweeper looks for: held reservations by due time. Partial, so it only holds open ones.
CREATE INDEX reservation_due_idx ON reservation (expires_at) WHERE status = 'RESERVED';

-- The lines of a reservation, one per product (duplicates in a request are merged before they get here).
CREATE TABLE reservation_line (
    order_id   UUID    NOT NULL REFERENCES reservation (order_id),
    -- No foreign key to stock: a rejected reservation records the unknown product it asked for.
    product_id UUID    NOT NULL,
    quantity   INTEGER NOT NULL,
    -- Rejected reservations only: what was available of this product when it was found short (0 when the
    -- product is unknown); NULL for lines that were not short. Lets a redelivery answer the same rejection.
    available  INTEGER,
    PRIMARY KEY (order_id, product_id),
    CONSTRAINT reservation_line_quantity_positive CHECK (quantity > 0),
    CONSTRAINT reservation_line_available_not_negative CHECK (available >= 0)
);
