-- Demo catalog: 48 products in 6 categories.
--
-- Ids are DETERMINISTIC: product n has id 00000000-0000-4000-8000-<n, 12 digits, zero padded>,
-- e.g. n = 1 -> 00000000-0000-4000-8000-000000000001 (valid UUID version 4 / variant 1 layout).
-- inventory-service seeds its stock rows for the same ids without asking this service, and docs and
-- tests can name a product. Never change an id or a number here; append new products with new numbers.
INSERT INTO product (id, sku, name, description, category, price, currency, available, created_at, updated_at)
SELECT ('00000000-0000-4000-8000-' || lpad(s.n::text, 12, '0'))::uuid,
       s.sku, s.name, s.description, s.category, s.price, 'EUR', s.available,
       TIMESTAMPTZ '2026-01-01 09:00:00+00' + s.n * INTERVAL '1 hour',
       TIMESTAMPTZ '2026-01-01 09:00:00+00' + s.n * INTERVAL '1 hour'
FROM (VALUES
    -- books
    ( 1, 'BOOK-0001', 'The Pragmatic Programmer', 'Twentieth anniversary edition of the classic on software craftsmanship, from journeyman to master.', 'books', 42.90, TRUE),
    ( 2, 'BOOK-0002', 'Designing Data-Intensive Applications', 'The big ideas behind reliable, scalable and maintainable systems: replication, partitioning, streams.', 'books', 49.95, TRUE),
    ( 3, 'BOOK-0003', 'Effective Java', 'Third edition. Ninety items of best practice for the Java platform, covering generics, lambdas and streams.', 'books', 44.50, TRUE),
    ( 4, 'BOOK-0004', 'Children''s Illustrated World Atlas', 'Hardback atlas with 60 hand-drawn maps, flags and fun facts for readers aged 7 to 12.', 'books', 19.99, TRUE),
    ( 5, 'BOOK-0005', 'Salt, Fat, Acid, Heat', 'Mastering the four elements of good cooking, with illustrations and 100 essential recipes.', 'books', 32.00, TRUE),
    ( 6, 'BOOK-0006', 'The Hobbit', 'Paperback edition of Tolkien''s tale of Bilbo Baggins and the dragon Smaug.', 'books', 11.99, TRUE),
    ( 7, 'BOOK-0007', 'Release It!', 'Design and deploy production-ready software: stability patterns, timeouts, circuit breakers, bulkheads.', 'books', 39.90, TRUE),
    ( 8, 'BOOK-0008', 'A Field Guide to Garden Birds', 'Pocket guide to 120 common European garden birds with photographs and song descriptions.', 'books', 14.50, TRUE),
    -- electronics
    ( 9, 'ELEC-0001', 'Noise-Cancelling Wireless Headphones', 'Over-ear Bluetooth 5.3 headphones with adaptive noise cancelling and 30 hours of battery.', 'electronics', 249.00, TRUE),
    (10, 'ELEC-0002', 'USB-C Charging Hub 65W', 'Four-port GaN charger with two USB-C and two USB-A ports; charges a laptop and a phone at once.', 'electronics', 54.99, TRUE),
    (11, 'ELEC-0003', 'Mechanical Keyboard, Brown Switches', 'Tenkeyless aluminium keyboard with tactile brown switches, PBT keycaps and white backlight.', 'electronics', 119.00, TRUE),
    (12, 'ELEC-0004', '27-inch 4K Monitor', 'IPS panel, 3840x2160, USB-C with 90 W power delivery and a height-adjustable stand.', 'electronics', 379.00, FALSE),
    (13, 'ELEC-0005', 'Portable SSD 1TB', 'Pocket-sized solid state drive with up to 1050 MB/s over USB 3.2 Gen 2, shock resistant.', 'electronics', 99.90, TRUE),
    (14, 'ELEC-0006', 'Smart LED Bulb E27', 'Dimmable colour bulb, 806 lumen, controllable by app and voice assistants. No hub required.', 'electronics', 17.95, TRUE),
    (15, 'ELEC-0007', 'E-Reader with Warm Light', 'Six-inch glare-free display, adjustable warm light, waterproof, weeks of battery life.', 'electronics', 139.99, TRUE),
    (16, 'ELEC-0008', 'Wireless Ergonomic Mouse', 'Vertical mouse that keeps the wrist in a natural handshake position; silent clicks.', 'electronics', 69.00, TRUE),
    -- kitchen
    (17, 'KITC-0001', 'Cast Iron Skillet 26 cm', 'Pre-seasoned cast iron pan for searing, baking and open fire; lasts generations.', 'kitchen', 39.95, TRUE),
    (18, 'KITC-0002', 'Chef''s Knife 20 cm', 'Forged German stainless steel, full tang, balanced for everyday chopping and slicing.', 'kitchen', 89.00, TRUE),
    (19, 'KITC-0003', 'Pour-Over Coffee Set', 'Glass dripper, gooseneck kettle and 100 paper filters for a clean, bright cup.', 'kitchen', 59.90, TRUE),
    (20, 'KITC-0004', 'Bamboo Cutting Board Set', 'Three boards in different sizes with juice grooves; naturally antibacterial bamboo.', 'kitchen', 29.99, TRUE),
    (21, 'KITC-0005', 'Enamelled Dutch Oven 5 L', 'Cast iron casserole with enamel coating for braising, stews and no-knead bread.', 'kitchen', 129.00, TRUE),
    (22, 'KITC-0006', 'Digital Kitchen Scale', 'Weighs up to 5 kg in 1 g steps, tare function, flat glass top that wipes clean.', 'kitchen', 21.50, TRUE),
    (23, 'KITC-0007', 'Stainless Steel Mixing Bowls', 'Set of five nesting bowls from 0.5 to 5 litres with non-slip silicone bases.', 'kitchen', 34.95, TRUE),
    (24, 'KITC-0008', 'Electric Milk Frother', 'Heats and froths milk for cappuccino and latte in 90 seconds; dishwasher-safe jug.', 'kitchen', 49.00, TRUE),
    -- outdoor
    (25, 'OUTD-0001', 'Two-Person Backpacking Tent', 'Freestanding 3-season tent, 1.9 kg, two doors and vestibules, pitches in five minutes.', 'outdoor', 289.00, TRUE),
    (26, 'OUTD-0002', 'Down Sleeping Bag -5 C', 'Mummy bag with 700 fill power duck down, comfort rating -5 C, packs to the size of a loaf.', 'outdoor', 219.00, TRUE),
    (27, 'OUTD-0003', 'Trekking Poles, Carbon', 'Pair of three-section carbon poles with cork grips and quick locks, 460 g the pair.', 'outdoor', 89.95, TRUE),
    (28, 'OUTD-0004', 'Insulated Water Bottle 750 ml', 'Double-wall stainless steel keeps drinks cold 24 h or hot 12 h; leak-proof lid.', 'outdoor', 27.50, TRUE),
    (29, 'OUTD-0005', 'Headlamp 400 Lumen', 'Rechargeable headlamp with red light mode and a beam reaching 90 metres; IPX4.', 'outdoor', 34.90, TRUE),
    (30, 'OUTD-0006', 'Camping Stove with Piezo Ignition', 'Compact canister stove boiling a litre in three and a half minutes; folds into its pot.', 'outdoor', 44.00, TRUE),
    (31, 'OUTD-0007', 'Hiking Daypack 28 L', 'Ventilated back panel, hip belt, rain cover and hydration sleeve for long day hikes.', 'outdoor', 94.00, TRUE),
    (32, 'OUTD-0008', 'Folding Camp Chair', 'Lightweight aluminium chair that packs into its own bag and carries 120 kg.', 'outdoor', 59.00, TRUE),
    -- toys
    (33, 'TOYS-0001', 'Wooden Train Set, 52 Pieces', 'Beech wood tracks, bridge, tunnel and three magnetic carriages; compatible with major brands.', 'toys', 64.90, TRUE),
    (34, 'TOYS-0002', 'Building Bricks Starter Box', '500 bricks in 30 colours with wheels, windows and an idea booklet, for ages 4 and up.', 'toys', 29.99, TRUE),
    (35, 'TOYS-0003', 'Remote Control Off-Road Car', '1:16 scale 4x4 with rechargeable battery, 25 km/h top speed and 2.4 GHz remote.', 'toys', 54.50, TRUE),
    (36, 'TOYS-0004', 'Plush Sea Otter', 'Soft 30 cm otter holding a shell, made of recycled polyester; machine washable.', 'toys', 18.95, TRUE),
    (37, 'TOYS-0005', 'Magnetic Tiles, 60 Pieces', 'Translucent magnetic tiles for building towers, houses and marble runs.', 'toys', 49.99, FALSE),
    (38, 'TOYS-0006', 'Family Board Game: Island Traders', 'Trade, build and race to settle an island; two to four players aged 8 and up, 45 minutes.', 'toys', 36.00, TRUE),
    (39, 'TOYS-0007', 'Kids'' Art Set in Wooden Case', '120 pieces: crayons, watercolours, pencils and brushes in a carry case.', 'toys', 27.90, TRUE),
    (40, 'TOYS-0008', 'Jigsaw Puzzle 1000 Pieces: Alpine Lake', 'Premium puzzle with a matte finish and a poster of the motif; 70 x 50 cm finished.', 'toys', 15.99, TRUE),
    -- apparel
    (41, 'APRL-0001', '100% Merino Wool Hiking Socks', 'Cushioned crew socks that regulate temperature and resist odour; sizes 36 to 47.', 'apparel', 22.00, TRUE),
    (42, 'APRL-0002', 'Waterproof Rain Jacket', 'Three-layer breathable shell with taped seams, adjustable hood and pit zips.', 'apparel', 179.00, TRUE),
    (43, 'APRL-0003', 'Organic Cotton T-Shirt', 'Heavyweight crew neck tee in organic cotton, pre-shrunk; available in eight colours.', 'apparel', 24.90, TRUE),
    (44, 'APRL-0004', 'Fleece Midlayer Jacket', 'Warm recycled fleece with full zip and two hand pockets; layers under a shell.', 'apparel', 69.95, TRUE),
    (45, 'APRL-0005', 'Slim Fit Chinos', 'Stretch cotton chinos with a tapered leg; machine washable and wrinkle resistant.', 'apparel', 59.00, TRUE),
    (46, 'APRL-0006', 'Leather Belt, Brown', 'Full-grain vegetable-tanned leather belt with a solid brass buckle; 35 mm wide.', 'apparel', 45.00, TRUE),
    (47, 'APRL-0007', 'Wool Beanie', 'Ribbed beanie knitted from soft lambswool; one size.', 'apparel', 19.50, TRUE),
    (48, 'APRL-0008', 'Trail Running Shoes', 'Grippy lugged outsole, rock plate and a cushioned midsole for technical trails.', 'apparel', 139.00, TRUE)
) AS s (n, sku, name, description, category, price, available);
