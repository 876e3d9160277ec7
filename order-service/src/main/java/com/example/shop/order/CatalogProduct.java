package com.example.shop.order;

import java.math.BigDecimal;
import java.util.UUID;

/** What an order needs to know of a product: its name and price now, from product-service. */
public record CatalogProduct(UUID id, String sku, String name, BigDecimal price, String currency) {
}
