package com.example.shop.product.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A product as stored. Also the value kept in the Redis cache (as JSON), so changing its shape means
 * bumping the cache key prefix in application.yml.
 *
 * @param price scale 2, in {@code currency}
 * @param version incremented by every update; the REST API exposes it as the ETag
 */
public record Product(UUID id, String sku, String name, String description, String category, BigDecimal price,
		String currency, boolean available, long version, Instant createdAt, Instant updatedAt) {
}
