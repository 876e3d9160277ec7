package com.example.shop.product.availability;

import java.util.UUID;

/**
 * What this service reads of inventory-service's {@code StockChanged} v1 (docs/messaging.md): which product,
 * how many units can still be ordered, and the version of the change. The other fields (onHand, reserved, at)
 * are not needed here and are ignored.
 *
 * @param available units that can still be reserved (on hand minus reserved)
 * @param version the product's stock version after the change: one more per change, so a higher one is newer
 */
record StockChanged(UUID productId, Integer available, Long version) {

	static final String TYPE = "StockChanged";

	static final int SCHEMA_VERSION = 1;

}
