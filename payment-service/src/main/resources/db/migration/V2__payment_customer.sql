-- The customer whose order the payment is for: the subject (a UUID) of their tokens, sent by order-service in
-- AuthorizePayment.customerId. GET /api/payments shows a customer only the payments that carry their id.
-- Nullable: payments made before the field existed, and an AuthorizePayment from an order-service that does not
-- send it yet, have no known owner and are visible to admins only. The void that arrives before any
-- authorization (a tombstone, never listed) has none either; a later authorization fills it in.
ALTER TABLE payment ADD COLUMN customer_id UUID;
