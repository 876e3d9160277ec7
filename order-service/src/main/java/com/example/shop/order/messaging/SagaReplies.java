package com.example.shop.order.messaging;

import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

import com.google.protobuf.Message;

import org.springframework.stereotype.Component;

import com.example.shop.messaging.consumer.MessageConsumer;
import com.example.shop.messaging.consumer.MessageConsumers;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageContract;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.order.Order;
import com.example.shop.order.OrderMessage;
import com.example.shop.order.Orders;
import com.example.shop.order.saga.OrderSaga;
import com.example.shop.order.saga.OrderSaga.Participant;
import com.example.shop.order.saga.OrderSaga.ReplyRule;

/**
 * The replies of inventory-service and payment-service, applied to their orders: one libs/messaging
 * {@link MessageConsumer} per participant whose rows are the saga table's reply rules ({@link OrderSaga}). The
 * consumer records the inbox entry, and {@link Orders#transition} stores the transition and the messages it sends,
 * in one transaction. A copy delivered again finds the inbox record and changes nothing; a reply the order's state
 * does not wait for changes nothing either (see {@link Order}).
 * <p>
 * What cannot be applied ever (a type the table does not name, an unknown version, no order id, an order that
 * does not exist) is a {@link MalformedMessageException}: not retried, dead-lettered at once.
 */
@Component
class SagaReplies {

	static final String INVENTORY_CONSUMER = "order-service.inventory-replies";

	static final String PAYMENT_CONSUMER = "order-service.payment-replies";

	private final Orders orders;

	private final MessageConsumer inventory;

	private final MessageConsumer payment;

	SagaReplies(MessageConsumers consumers, Orders orders, OrderSaga saga) {
		this.orders = orders;
		this.inventory = consumerOf(consumers.named(INVENTORY_CONSUMER), saga, Participant.INVENTORY);
		this.payment = consumerOf(consumers.named(PAYMENT_CONSUMER), saga, Participant.PAYMENT);
	}

	/** One record of {@code inventory.replies}. */
	void inventoryReply(String record) {
		this.inventory.accept(record);
	}

	/** One message of {@code order.payment-replies}. */
	void paymentReply(byte[] body) {
		this.payment.accept(body);
	}

	private MessageConsumer consumerOf(MessageConsumer.Builder table, OrderSaga saga, Participant participant) {
		saga.repliesFrom(participant).forEach((rule) -> row(table, rule));
		return table.build();
	}

	private <R extends Message> void row(MessageConsumer.Builder table, ReplyRule<R> rule) {
		MessageContract<R> contract = MessageContract.of(rule.type());
		table.on(rule.type(), (reply, envelope) -> apply(contract.correlationId(reply), envelope,
				(order, now) -> rule.transition().apply(order, reply, now)));
	}

	private void apply(String order, MessageEnvelope reply,
			BiFunction<Order, Instant, List<OrderMessage>> transition) {
		if (this.orders.transition(PayloadFields.uuid(order, "orderId"), transition).isEmpty()) {
			throw new MalformedMessageException(reply.describe() + " is about order " + order
					+ ", which does not exist here");
		}
	}

}
