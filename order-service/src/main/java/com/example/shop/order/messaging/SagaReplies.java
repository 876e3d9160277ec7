package com.example.shop.order.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

import org.springframework.stereotype.Component;

import com.example.shop.messaging.consumer.MessageConsumer;
import com.example.shop.messaging.consumer.MessageConsumers;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.order.orders.Order;
import com.example.shop.order.orders.Order.PaymentOperation;
import com.example.shop.order.orders.OrderMessage;
import com.example.shop.order.orders.Orders;
import com.example.shop.order.orders.SagaTimeouts;
import com.example.shop.proto.inventory.messages.v1.ReservationConfirmed;
import com.example.shop.proto.inventory.messages.v1.ReservationRefused;
import com.example.shop.proto.inventory.messages.v1.ReservationReleased;
import com.example.shop.proto.inventory.messages.v1.StockRejected;
import com.example.shop.proto.inventory.messages.v1.StockReserved;
import com.example.shop.proto.payment.messages.v1.PaymentAuthorized;
import com.example.shop.proto.payment.messages.v1.PaymentCaptured;
import com.example.shop.proto.payment.messages.v1.PaymentDeclined;
import com.example.shop.proto.payment.messages.v1.PaymentRefunded;
import com.example.shop.proto.payment.messages.v1.PaymentRefused;
import com.example.shop.proto.payment.messages.v1.PaymentVoided;

/**
 * Applies a reply of inventory-service or payment-service to its order: one row per reply type, each a
 * transition of {@link Order}. libs/messaging's {@link MessageConsumer} records the inbox entry, and
 * {@link Orders#transition} stores the transition and the messages it sends, in one transaction. A copy
 * delivered again finds the inbox record and changes nothing; a reply the order's state does not wait for
 * changes nothing either (see {@link Order}).
 * <p>
 * What cannot be applied ever (unknown type or version, no order id, an order that does not exist) is a
 * {@link MalformedMessageException}: not retried, dead-lettered at once.
 */
@Component
class SagaReplies {

	static final String INVENTORY_CONSUMER = "order-service.inventory-replies";

	static final String PAYMENT_CONSUMER = "order-service.payment-replies";

	private final Orders orders;

	private final MessageConsumer inventory;

	private final MessageConsumer payment;

	SagaReplies(MessageConsumers consumers, Orders orders, SagaTimeouts timeouts) {
		this.orders = orders;
		this.inventory = consumers.named(INVENTORY_CONSUMER)
			.on(StockReserved.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onStockReserved(now, timeouts)))
			.on(StockRejected.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onStockRejected(now)))
			.on(ReservationConfirmed.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onReservationConfirmed(now)))
			.on(ReservationReleased.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onReservationReleased(now)))
			.on(ReservationRefused.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onReservationRefused(now)))
			.build();
		this.payment = consumers.named(PAYMENT_CONSUMER)
			.on(PaymentAuthorized.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onPaymentAuthorized(now, timeouts)))
			.on(PaymentDeclined.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onPaymentDeclined(now, timeouts)))
			.on(PaymentCaptured.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onPaymentCaptured(now)))
			.on(PaymentVoided.class, (reply, envelope) -> apply(reply.getOrderId(), envelope,
					(order, now) -> order.onPaymentVoided(now)))
			// The saga never asks for a refund (a refused confirmation needs an operator, docs/runbook.md); a
			// refund an operator made is reported here and needs nothing from the order.
			.ignore(PaymentRefunded.class)
			.on(PaymentRefused.class, (reply, envelope) -> {
				PaymentOperation operation = operation(reply, envelope);
				apply(reply.getOrderId(), envelope, (order, now) -> order.onPaymentRefused(now, operation));
			})
			.build();
	}

	/** One record of {@code inventory.replies}. */
	void inventoryReply(String record) {
		this.inventory.accept(record);
	}

	/** One message of {@code order.payment-replies}. */
	void paymentReply(byte[] body) {
		this.payment.accept(body);
	}

	private void apply(String order, MessageEnvelope reply, BiFunction<Order, Instant, List<OrderMessage>> transition) {
		if (this.orders.transition(PayloadFields.uuid(order, "orderId"), transition).isEmpty()) {
			throw new MalformedMessageException(reply.describe() + " is about order " + order
					+ ", which does not exist here");
		}
	}

	private static PaymentOperation operation(PaymentRefused reply, MessageEnvelope envelope) {
		try {
			return PaymentOperation.valueOf(reply.getOperation().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException(envelope.describe() + " names no known operation: '"
					+ reply.getOperation() + "'");
		}
	}

}
