package com.example.shop.product.catalog;

import java.math.BigDecimal;

/**
 * Filters of a catalog search; a null filter does not filter.
 *
 * @param text matched literally, case-insensitively, anywhere in name, description or sku
 * @param category exact category (categories are lower-case)
 */
public record ProductSearch(String text, String category, BigDecimal minPrice, BigDecimal maxPrice) {
}
