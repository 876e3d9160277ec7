package com.example.shop.storefront.shop;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A product of the catalog, as {@code GET /api/products/{id}} answers it. */
public record Product(UUID id, String sku, String name, String description, String category, BigDecimal price,
		String currency, boolean available, Instant createdAt, Instant updatedAt) {

	public Money unitPrice() {
		return new Money(price, currency);
	}

}
