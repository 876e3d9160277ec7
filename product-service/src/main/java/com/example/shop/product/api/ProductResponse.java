package com.example.shop.product.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.UUID;

import com.example.shop.product.catalog.Product;

/** A product as the public API shows it (docs/api.md): price with exactly two decimals, UTC timestamps. */
public record ProductResponse(UUID id, String sku, String name, String description, String category,
		BigDecimal price, String currency, boolean available, Instant createdAt, Instant updatedAt) {

	static ProductResponse of(Product product) {
		return new ProductResponse(product.id(), product.sku(), product.name(), product.description(),
				product.category(), product.price().setScale(2, RoundingMode.UNNECESSARY), product.currency(),
				product.available(), product.createdAt(), product.updatedAt());
	}

}
