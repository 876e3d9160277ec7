package com.example.shop.notification.live;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;

/** Order lifecycle events as order-service publishes them on {@code orders.events} (docs/messaging.md, v1). */
final class OrderEvents {

	private OrderEvents() {
	}

	/** An event of an order of {@code customer}. */
	static MessageEnvelope event(String type, UUID order, UUID customer, String status, String reason, Instant at) {
		return MessageEnvelope.create(type, 1, "order-service", order.toString(),
				payload(order, customer, status, reason, at));
	}

	/** The order summary after the transition; {@code customer} null leaves {@code customerId} out. */
	static Map<String, Object> payload(UUID order, UUID customer, String status, String reason, Instant at) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("orderId", order.toString());
		if (customer != null) {
			payload.put("customerId", customer.toString());
		}
		payload.put("customerEmail", "ada@example.com");
		payload.put("status", status);
		payload.put("reason", reason);
		payload.put("total", 12.50);
		payload.put("currency", "EUR");
		payload.put("lines", List.of(Map.of("productId", UUID.randomUUID().toString(), "sku", "SKU-1", "name", "Mug",
				"unitPrice", 12.50, "quantity", 1, "lineTotal", 12.50)));
		payload.put("createdAt", at.toString());
		payload.put("at", at.toString());
		return payload;
	}

}
