package com.example.shop.storefront.shop;

import java.util.UUID;

/** A product's stock, as {@code GET /api/inventory/{productId}} answers it. */
public record Stock(UUID productId, int onHand, int reserved, int available) {
}
