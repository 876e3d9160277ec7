package com.example.shop.order;

import java.util.UUID;

/** Filters of GET /api/orders; null means "any". */
public record OrderSearch(UUID customerId, OrderStatus status) {
}
