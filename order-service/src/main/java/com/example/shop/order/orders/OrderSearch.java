package com.example.shop.order.orders;

import java.util.UUID;

/** Filters of GET /api/orders; null means "any". */
public record OrderSearch(UUID customerId, OrderStatus status) {
}
