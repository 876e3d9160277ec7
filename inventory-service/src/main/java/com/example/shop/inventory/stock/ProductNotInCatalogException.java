package com.example.shop.inventory.stock;

import java.util.UUID;

/** Stock was to be created for a product product-service's catalog does not have; stock is kept only for catalog products. */
public class ProductNotInCatalogException extends RuntimeException {

	public ProductNotInCatalogException(UUID productId) {
		super("Product " + productId + " is not in the catalog; stock is kept only for catalog products");
	}

}
