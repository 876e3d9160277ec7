-- The available flag follows inventory-service's stock (StockChanged on Kafka inventory.stock-changes):
-- stock_version is the version of the stock change it was last set from, null until inventory has reported
-- the product's stock. A change that is not newer is stale (redelivered, replayed, overtaken) and ignored, so
-- it can never flip the flag back.
ALTER TABLE product ADD COLUMN stock_version BIGINT;
