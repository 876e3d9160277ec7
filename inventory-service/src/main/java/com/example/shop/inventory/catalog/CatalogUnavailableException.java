package com.example.shop.inventory.catalog;

import java.util.UUID;

/**
 * The catalog could not say whether a product exists: a dependency of this service is down, nothing is wrong with
 * the request, and asking again later may succeed. The REST edge answers it with 503.
 */
public class CatalogUnavailableException extends RuntimeException {

	private final UUID productId;

	public CatalogUnavailableException(UUID productId, String why, Throwable cause) {
		super("product-service cannot say whether product " + productId + " exists: " + why, cause);
		this.productId = productId;
	}

	public UUID productId() {
		return this.productId;
	}

}
