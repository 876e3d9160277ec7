package com.example.shop.order.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.media.Schema;

import com.example.shop.order.CancellationReason;
import com.example.shop.order.Order;
import com.example.shop.order.OrderLine;
import com.example.shop.order.OrderStatus;

/**
 * An order as the public API shows it (docs/api.md "Orders"): money with exactly two decimals and the
 * order's currency, UTC timestamps, {@code cancellationReason} null unless the order is being or was cancelled
 * (COMPENSATING, REFUNDING, CANCELLED), or its compensation or refund failed. The payment token is never shown.
 */
public record OrderResponse(UUID id, UUID customerId, String customerEmail, OrderStatus status,
		CancellationReason cancellationReason, List<Item> items, BigDecimal total, String currency, Instant createdAt,
		Instant updatedAt) {

	/** Named in the OpenAPI description apart from the request's {@code Item}, which is another shape. */
	@Schema(name = "OrderItem")
	public record Item(UUID productId, String sku, String name, BigDecimal unitPrice, int quantity,
			BigDecimal lineTotal) {

		static Item of(OrderLine line) {
			return new Item(line.productId(), line.sku(), line.name(), line.unitPrice(), line.quantity(),
					line.lineTotal());
		}

	}

	static OrderResponse of(Order order) {
		return new OrderResponse(order.id(), order.customerId(), order.customerEmail(), order.status(),
				order.cancellationReason(), order.lines().stream().map(Item::of).toList(), order.total(),
				order.currency(), order.createdAt(), order.updatedAt());
	}

}
