package com.example.shop.inventory.stock;

import java.time.Instant;
import java.util.UUID;

/**
 * The stock of one product.
 *
 * @param onHand units in the warehouse
 * @param reserved units of those held for orders that are not confirmed yet
 * @param version incremented by every change of the row
 */
public record Stock(UUID productId, int onHand, int reserved, long version, Instant updatedAt) {

	/** What can still be reserved; never negative (CHECK constraint in the database). */
	public int available() {
		return this.onHand - this.reserved;
	}

	public StockChanged changed() {
		return new StockChanged(this.productId, this.onHand, this.reserved, available(), this.version, this.updatedAt);
	}

}
