package com.example.shop.inventory.catalog;

import java.util.UUID;

/**
 * What inventory-service needs to know of product-service's catalog: whether a product exists, so stock is only
 * ever created for products the catalog has. A port: the core asks through it, the gRPC client in
 * {@code catalog.client} answers.
 */
public interface ProductCatalog {

	/**
	 * @return whether the catalog has the product
	 * @throws CatalogUnavailableException when the catalog cannot say now (product-service down or too slow, after
	 * the adapter's retries, or its circuit breaker open)
	 */
	boolean exists(UUID productId);

}
