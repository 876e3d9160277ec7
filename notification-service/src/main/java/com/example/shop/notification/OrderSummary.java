package com.example.shop.notification;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The order as the lifecycle events of {@code orders.events} carry it (docs/messaging.md, v1), and as a
 * notification keeps it ({@code notification.order_summary}, jsonb): everything an email shows. Unknown fields
 * are ignored, so order-service may add optional ones.
 *
 * @param status the order's status after the transition
 * @param reason the cancellation reason (OUT_OF_STOCK, PAYMENT_DECLINED, TIMEOUT, CUSTOMER_REQUEST, REFUNDED) or null
 * @param at when the transition happened
 */
public record OrderSummary(UUID orderId, UUID customerId, String customerEmail, String status, String reason,
		BigDecimal total, String currency, List<Line> lines, Instant createdAt, Instant at) {

	public OrderSummary {
		lines = (lines != null) ? List.copyOf(lines) : List.of();
	}

	/** One order line, priced when the order was placed. */
	public record Line(UUID productId, String sku, String name, BigDecimal unitPrice, int quantity,
			BigDecimal lineTotal) {
	}

}
