package com.example.shop.product.catalog;

import java.util.UUID;

/** The catalog has no product with this id (never had, or it was deleted). */
public class UnknownProductException extends RuntimeException {

	public UnknownProductException(UUID id) {
		super("Product " + id + " does not exist");
	}

}
