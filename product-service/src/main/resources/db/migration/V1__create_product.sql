-- The catalog: one row per product. Money is NUMERIC(12,2) + an ISO-4217 code, never a float.
CREATE TABLE product (
    id          UUID          PRIMARY KEY,
    sku         VARCHAR(40)   NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    description VARCHAR(2000) NOT NULL DEFAULT '',
    category    VARCHAR(50)   NOT NULL,
    price       NUMERIC(12, 2) NOT NULL CHECK (price >= 0),
    currency    CHAR(3)       NOT NULL,
    available   BOOLEAN       NOT NULL DEFAULT TRUE,
    -- Optimistic locking: every UPDATE checks and increments it (ETag / If-Match on the REST API).
    version     BIGINT        NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT product_sku_key UNIQUE (sku)
);

-- The filters and sort keys of GET /api/products.
CREATE INDEX product_category_idx ON product (category);
CREATE INDEX product_price_idx ON product (price);
CREATE INDEX product_name_idx ON product (name);
CREATE INDEX product_created_at_idx ON product (created_at);
