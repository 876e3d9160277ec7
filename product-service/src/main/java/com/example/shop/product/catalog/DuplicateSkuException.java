package com.example.shop.product.catalog;

/** Another product already has the sku; skus are unique in the catalog. */
public class DuplicateSkuException extends RuntimeException {

	public DuplicateSkuException(String sku, Throwable cause) {
		super("A product with sku " + sku + " already exists", cause);
	}

}
