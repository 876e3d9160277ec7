package com.example.shop.notification.support;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.testsupport.KafkaSender;
import com.example.shop.notification.OrderSummary;
import com.example.shop.notification.OrderSummary.Line;

/**
 * Plays order-service: publishes order lifecycle events to the real Kafka topic as its outbox relay does (key =
 * order id, envelope JSON, identity headers), with the order summary of docs/messaging.md.
 */
public final class OrderServiceStandIn implements AutoCloseable {

	private final KafkaSender sender;

	private final String topic;

	public OrderServiceStandIn(String bootstrapServers, String topic) {
		this.sender = new KafkaSender(bootstrapServers);
		this.topic = topic;
	}

	/** An order of two lines, 2 x 19.95 + 1 x 20.00 = 59.90 EUR, of some customer. */
	public static OrderSummary order(UUID orderId, String email, String status, String reason) {
		return order(orderId, UUID.randomUUID(), email, status, reason);
	}

	/** An order of two lines, 2 x 19.95 + 1 x 20.00 = 59.90 EUR, of {@code customerId} (null: not said). */
	public static OrderSummary order(UUID orderId, UUID customerId, String email, String status, String reason) {
		return new OrderSummary(orderId, customerId, email, status, reason, new BigDecimal("59.90"), "EUR",
				List.of(new Line(UUID.randomUUID(), "MUG-001", "Enamel mug", new BigDecimal("19.95"), 2,
						new BigDecimal("39.90")),
						new Line(UUID.randomUUID(), "TEA-042", "Green tea & lemon", new BigDecimal("20.00"), 1,
								new BigDecimal("20.00"))),
				Instant.parse("2026-11-30T10:15:00Z"), Instant.now());
	}

	public MessageEnvelope confirmed(UUID orderId, String email) {
		return publish("OrderConfirmed", order(orderId, email, "CONFIRMED", null));
	}

	public MessageEnvelope cancelled(UUID orderId, String email, String reason) {
		return publish("OrderCancelled", order(orderId, email, "CANCELLED", reason));
	}

	public MessageEnvelope publish(String type, OrderSummary order) {
		return send(MessageEnvelope.create(type, 1, "order-service", order.orderId().toString(), order));
	}

	/** Any payload, type and version, for events no well-behaved order-service would publish. */
	public MessageEnvelope publish(String type, int version, UUID orderId, Map<String, ?> payload) {
		return send(MessageEnvelope.create(type, version, "order-service", orderId.toString(), payload));
	}

	/** Publishes the envelope; publishing the same one again is a redelivery (same id). */
	public MessageEnvelope send(MessageEnvelope envelope) {
		this.sender.send(this.topic, envelope);
		return envelope;
	}

	public void sendRaw(String key, String value) {
		this.sender.sendRaw(this.topic, key, value);
	}

	@Override
	public void close() {
		this.sender.close();
	}

}
