package com.example.shop.order.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.order.orders.Order;
import com.example.shop.order.orders.Order.PaymentOperation;
import com.example.shop.order.orders.OrderMessage;
import com.example.shop.order.orders.Orders;
import com.example.shop.order.orders.SagaTimeouts;

/**
 * Applies a reply of inventory-service or payment-service to its order: the inbox record, the transition
 * and the messages it sends commit in one transaction. A copy delivered again finds the inbox record and
 * changes nothing; a reply the order's state does not wait for changes nothing either (see {@link Order}).
 * <p>
 * What cannot be applied ever (unknown type or version, no order id, an order that does not exist) is a
 * {@link MalformedMessageException}: not retried, dead-lettered at once.
 */
@Component
class SagaReplies {

	private static final Logger log = LoggerFactory.getLogger(SagaReplies.class);

	static final String INVENTORY_CONSUMER = "order-service.inventory-replies";

	static final String PAYMENT_CONSUMER = "order-service.payment-replies";

	private final Inbox inbox;

	private final Orders orders;

	private final SagaTimeouts timeouts;

	SagaReplies(Inbox inbox, Orders orders, SagaTimeouts timeouts) {
		this.inbox = inbox;
		this.orders = orders;
		this.timeouts = timeouts;
	}

	@Transactional
	public void inventoryReply(MessageEnvelope reply) {
		BiFunction<Order, Instant, List<OrderMessage>> transition = switch (reply.type()) {
			case "StockReserved" -> (order, now) -> order.onStockReserved(now, this.timeouts);
			case "StockRejected" -> (order, now) -> order.onStockRejected(now);
			case "ReservationConfirmed" -> (order, now) -> order.onReservationConfirmed(now);
			case "ReservationReleased" -> (order, now) -> order.onReservationReleased(now);
			case "ReservationRefused" -> (order, now) -> order.onReservationRefused(now);
			default -> throw unknownType(reply, "inventory reply");
		};
		apply(INVENTORY_CONSUMER, reply, transition);
	}

	@Transactional
	public void paymentReply(MessageEnvelope reply) {
		BiFunction<Order, Instant, List<OrderMessage>> transition = switch (reply.type()) {
			case "PaymentAuthorized" -> (order, now) -> order.onPaymentAuthorized(now, this.timeouts);
			case "PaymentDeclined" -> (order, now) -> order.onPaymentDeclined(now, this.timeouts);
			case "PaymentCaptured" -> (order, now) -> order.onPaymentCaptured(now);
			case "PaymentVoided" -> (order, now) -> order.onPaymentVoided(now);
			// The saga never asks for a refund (a refused confirmation needs an operator, docs/runbook.md); a
			// refund an operator made is reported here and needs nothing from the order.
			case "PaymentRefunded" -> (order, now) -> List.of();
			case "PaymentRefused" -> {
				PaymentOperation operation = operation(reply);
				yield (order, now) -> order.onPaymentRefused(now, operation);
			}
			default -> throw unknownType(reply, "payment reply");
		};
		apply(PAYMENT_CONSUMER, reply, transition);
	}

	private void apply(String consumer, MessageEnvelope reply,
			BiFunction<Order, Instant, List<OrderMessage>> transition) {
		if (reply.version() != SagaPayloads.VERSION) {
			throw new MalformedMessageException(reply.describe() + ": version " + reply.version()
					+ " is not one this service reads (1)");
		}
		SagaPayloads.Reply payload = reply.payloadAs(SagaPayloads.Reply.class);
		if (payload.orderId() == null) {
			throw new MalformedMessageException(reply.describe() + " has no orderId");
		}
		if (!this.inbox.firstDelivery(consumer, reply)) {
			return;
		}
		if (this.orders.transition(payload.orderId(), transition).isEmpty()) {
			throw new MalformedMessageException(reply.describe() + " is about order " + payload.orderId()
					+ ", which does not exist here");
		}
		log.debug("Applied {} to order {}", reply.describe(), payload.orderId());
	}

	private static PaymentOperation operation(MessageEnvelope reply) {
		String operation = reply.payloadAs(SagaPayloads.Reply.class).operation();
		try {
			return PaymentOperation.valueOf(String.valueOf(operation).toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException(reply.describe() + " names no known operation: '" + operation + "'");
		}
	}

	private static MalformedMessageException unknownType(MessageEnvelope reply, String what) {
		return new MalformedMessageException(reply.describe() + " is not a known " + what);
	}

}
