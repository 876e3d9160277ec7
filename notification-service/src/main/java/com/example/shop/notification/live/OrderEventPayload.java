package com.example.shop.notification.live;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import org.jspecify.annotations.Nullable;

/**
 * The part of an order lifecycle event's payload (docs/messaging.md, {@code orders.events} v1) the live status
 * needs: the status, and whose order it is ({@code customerId}, kept for the handshake's ownership check); the
 * other fields of the order summary are ignored.
 */
record OrderEventPayload(@Nullable UUID orderId, @Nullable UUID customerId, @Nullable String status,
		@Nullable String reason, @Nullable Instant at) {

	/** The types whose payload is the order summary after a transition. */
	static final Set<String> TYPES = Set.of("OrderPlaced", "OrderStatusChanged", "OrderConfirmed", "OrderCancelled",
			"OrderFailed");

	/**
	 * The status update the event carries, with the order's customer (null when the event has none); empty for
	 * other types and versions, and for a payload without a usable order id, status or time.
	 * @throws com.example.shop.messaging.envelope.MalformedMessageException when the payload does not fit at all
	 */
	static Optional<KnownOrder> read(MessageEnvelope event) {
		if (!TYPES.contains(event.type()) || event.version() != 1) {
			return Optional.empty();
		}
		OrderEventPayload payload = event.payloadAs(OrderEventPayload.class);
		if (payload.orderId() == null || payload.at() == null) {
			return Optional.empty();
		}
		return OrderStatus.parse(payload.status())
			.map(status -> new KnownOrder(
					new OrderStatusUpdate(payload.orderId(), status, payload.reason(), payload.at()),
					payload.customerId()));
	}

}
