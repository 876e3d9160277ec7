package com.example.shop.notification.orderevents;

import java.util.List;
import java.util.Optional;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageContract;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.proto.order.messages.v1.OrderCancelled;
import com.example.shop.proto.order.messages.v1.OrderConfirmed;
import com.example.shop.proto.order.messages.v1.OrderFailed;
import com.example.shop.proto.order.messages.v1.OrderPlaced;
import com.example.shop.proto.order.messages.v1.OrderStatusChanged;
import com.example.shop.proto.order.messages.v1.OrderSummary;

/**
 * The lifecycle events of {@code orders.events} (proto/'s {@code order_events.proto}) and the order summary each
 * of them carries: every event has OrderSummary's fields under the same numbers, so any of them reads as one.
 */
public final class OrderEvents {

	/** Every lifecycle event type, in the order of the saga. */
	public static final List<Class<? extends Message>> TYPES = List.of(OrderPlaced.class, OrderStatusChanged.class,
			OrderConfirmed.class, OrderCancelled.class, OrderFailed.class);

	private OrderEvents() {
	}

	/** The summary an event carries. */
	public static OrderSummary summaryOf(Message event) {
		try {
			return OrderSummary.parseFrom(event.toByteString());
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException(event.getDescriptorForType().getName()
					+ " is not wire-identical to OrderSummary (proto/shop/order/messages/v1/order_events.proto)", ex);
		}
	}

	/**
	 * The summary in an envelope of one of the lifecycle types; empty for other types.
	 * @throws MalformedMessageException when it is one of them but not a readable one (version, payload, order id)
	 */
	public static Optional<OrderSummary> read(MessageEnvelope envelope) {
		return TYPES.stream()
			.map(MessageContract::of)
			.filter((contract) -> contract.type().equals(envelope.type()))
			.findFirst()
			.map((contract) -> summaryOf(contract.read(envelope)));
	}

}
