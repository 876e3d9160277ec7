package com.example.shop.product.catalog;

import java.math.BigDecimal;

/** The client-editable fields of a product, already validated by the caller. */
public record ProductDetails(String sku, String name, String description, String category, BigDecimal price,
		String currency, boolean available) {
}
