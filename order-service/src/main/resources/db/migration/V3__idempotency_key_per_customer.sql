-- An Idempotency-Key belongs to the customer who sent it (the token's subject): two customers who happen to use
-- the same key get an order each, and neither ever gets the other's order back. The key is unique per customer.
-- Upgrading: a replica of the previous version cannot claim a key once this ran (its INSERT ... ON CONFLICT names
-- the old primary key), so its keyed POSTs fail until it is replaced; replace every replica in one go (this
-- release also makes tokens required, a change of the API contract anyway).
ALTER TABLE idempotency_key ADD COLUMN customer_id uuid;

-- A completed key belongs to its order's customer.
UPDATE idempotency_key k SET customer_id = o.customer_id FROM customer_order o WHERE o.id = k.order_id;

-- What is left are IN_FLIGHT claims, which have no order yet and so no known customer. Their requests are being
-- served this very moment by a replica of the previous version; without the row that request cannot complete its
-- key and is answered 409, and a client that retries it gets a fresh claim.
DELETE FROM idempotency_key WHERE customer_id IS NULL;

ALTER TABLE idempotency_key ALTER COLUMN customer_id SET NOT NULL;
ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_pkey;
ALTER TABLE idempotency_key ADD PRIMARY KEY (customer_id, idempotency_key);
