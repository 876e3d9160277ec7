-- Demo stock for the 48 products of product-service's demo catalog (its V2 migration), same ids:
-- product n has id 00000000-0000-4000-8000-<n, 12 digits, zero padded>.
--
--   on_hand 100  every product not listed below
--   on_hand   0  out of stock: 12 (27-inch 4K Monitor) and 37 (Magnetic Tiles), the two products the
--                catalog seeds as unavailable
--   on_hand   5  low stock, to try running out: 9 (Noise-Cancelling Headphones), 21 (Enamelled Dutch
--                Oven), 25 (Two-Person Backpacking Tent), 42 (Waterproof Rain Jacket)
--   on_hand 250  cheap, well stocked: 6 (The Hobbit), 14 (Smart LED Bulb), 41 (Merino Hiking Socks)
--
-- Nothing is reserved at the start. Never change an id here; stock for new products comes through
-- PUT /api/inventory/{productId}.
INSERT INTO stock (product_id, on_hand, reserved)
SELECT ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid,
       CASE
           WHEN n IN (12, 37) THEN 0
           WHEN n IN (9, 21, 25, 42) THEN 5
           WHEN n IN (6, 14, 41) THEN 250
           ELSE 100
       END,
       0
FROM generate_series(1, 48) AS n;
