package com.example.shop.order.messaging;

import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

import org.springframework.stereotype.Component;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.messaging.outbox.Destination;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutgoingMessage;
import com.example.shop.order.OrderMessage;
import com.example.shop.order.OrderMessage.AuthorizePayment;
import com.example.shop.order.OrderMessage.CapturePayment;
import com.example.shop.order.OrderMessage.ConfirmReservation;
import com.example.shop.order.OrderMessage.OrderCancelled;
import com.example.shop.order.OrderMessage.OrderConfirmed;
import com.example.shop.order.OrderMessage.OrderEvent;
import com.example.shop.order.OrderMessage.OrderFailed;
import com.example.shop.order.OrderMessage.OrderPlaced;
import com.example.shop.order.OrderMessage.OrderStatusChanged;
import com.example.shop.order.OrderMessage.OrderSummary;
import com.example.shop.order.OrderMessage.RefundPayment;
import com.example.shop.order.OrderMessage.ReleaseReservation;
import com.example.shop.order.OrderMessage.ReserveStock;
import com.example.shop.order.OrderMessage.ReturnStock;
import com.example.shop.order.OrderMessage.VoidPayment;
import com.example.shop.order.SagaMessageSender;
import com.example.shop.proto.inventory.messages.v1.ReservedLine;
import com.example.shop.proto.order.messages.v1.OrderEventLine;

/**
 * The saga's messages as proto/'s messages, into libs/messaging's outbox in the caller's transaction: inventory
 * commands on Kafka {@code inventory.commands} and lifecycle events on {@code orders.events} (key = order id,
 * so one order's messages stay in order), payment commands to the RabbitMQ exchange {@code payment.commands}
 * with routing keys {@code authorize}, {@code capture}, {@code void}, {@code refund}. The relay publishes them
 * once the transaction committed.
 */
@Component
class OutboxSagaMessageSender implements SagaMessageSender {

	private final Outbox outbox;

	private final MessagingNames names;

	OutboxSagaMessageSender(Outbox outbox, MessagingNames names) {
		this.outbox = outbox;
		this.names = names;
	}

	@Override
	public void send(List<? extends OrderMessage> messages) {
		for (OrderMessage message : messages) {
			this.outbox.enqueue(outgoing(message));
		}
	}

	OutgoingMessage outgoing(OrderMessage message) {
		Destination inventory = Destination.kafka(this.names.inventoryCommandsTopic());
		Destination events = Destination.kafka(this.names.orderEventsTopic());
		String order = message.orderId().toString();
		return switch (message) {
			case ReserveStock reserve -> to(inventory, com.example.shop.proto.inventory.messages.v1.ReserveStock.newBuilder()
				.setOrderId(order)
				.addAllLines(reserve.lines()
					.stream()
					.map((line) -> ReservedLine.newBuilder()
						.setProductId(line.productId().toString())
						.setQuantity(line.quantity())
						.build())
					.toList())
				.build());
			case ConfirmReservation confirm ->
				to(inventory, com.example.shop.proto.inventory.messages.v1.ConfirmReservation.newBuilder().setOrderId(order).build());
			case ReleaseReservation release ->
				to(inventory, com.example.shop.proto.inventory.messages.v1.ReleaseReservation.newBuilder()
					.setOrderId(order)
					.setReason(release.reason().name())
					.build());
			case ReturnStock returnStock ->
				to(inventory, com.example.shop.proto.inventory.messages.v1.ReturnStock.newBuilder().setOrderId(order).build());
			case AuthorizePayment authorize -> to(payment("authorize"),
					com.example.shop.proto.payment.messages.v1.AuthorizePayment.newBuilder()
						.setOrderId(order)
						.setCustomerId(authorize.customerId().toString())
						.setAmount(PayloadFields.decimal(authorize.amount()))
						.setCurrency(authorize.currency())
						.setToken(authorize.token())
						.build());
			case CapturePayment capture -> to(payment("capture"),
					com.example.shop.proto.payment.messages.v1.CapturePayment.newBuilder().setOrderId(order).build());
			case VoidPayment voidPayment -> to(payment("void"),
					com.example.shop.proto.payment.messages.v1.VoidPayment.newBuilder().setOrderId(order).build());
			case RefundPayment refund -> to(payment("refund"),
					com.example.shop.proto.payment.messages.v1.RefundPayment.newBuilder().setOrderId(order).build());
			case OrderEvent event -> to(events, event(event));
		};
	}

	private Destination payment(String routingKey) {
		return Destination.rabbit(this.names.paymentCommandsExchange(), routingKey);
	}

	private static OutgoingMessage to(Destination destination, Message message) {
		return destination.of(MessageEnvelope.of(MessagingNames.SOURCE, message));
	}

	/** The event: the order summary under the event's name (each event is wire-identical to OrderSummary). */
	private static Message event(OrderEvent event) {
		com.example.shop.proto.order.messages.v1.OrderSummary summary = summary(event);
		return switch (event) {
			case OrderPlaced placed -> as(summary, com.example.shop.proto.order.messages.v1.OrderPlaced.parser());
			case OrderStatusChanged changed ->
				as(summary, com.example.shop.proto.order.messages.v1.OrderStatusChanged.parser());
			case OrderConfirmed confirmed -> as(summary, com.example.shop.proto.order.messages.v1.OrderConfirmed.parser());
			case OrderCancelled cancelled -> as(summary, com.example.shop.proto.order.messages.v1.OrderCancelled.parser());
			case OrderFailed failed -> as(summary, com.example.shop.proto.order.messages.v1.OrderFailed.parser());
		};
	}

	private static com.example.shop.proto.order.messages.v1.OrderSummary summary(OrderEvent event) {
		OrderSummary order = event.order();
		String reason = (event instanceof OrderCancelled cancelled) ? cancelled.reason().name()
				: (order.cancellationReason() != null) ? order.cancellationReason().name() : "";
		return com.example.shop.proto.order.messages.v1.OrderSummary.newBuilder()
			.setOrderId(order.id().toString())
			.setCustomerId(order.customerId().toString())
			.setCustomerEmail(order.customerEmail())
			.setStatus(order.status().name())
			.setReason(reason)
			.setTotal(PayloadFields.decimal(order.total()))
			.setCurrency(order.currency())
			.addAllLines(order.lines()
				.stream()
				.map((line) -> OrderEventLine.newBuilder()
					.setProductId(line.productId().toString())
					.setSku(line.sku())
					.setName(line.name())
					.setUnitPrice(PayloadFields.decimal(line.unitPrice()))
					.setQuantity(line.quantity())
					.setLineTotal(PayloadFields.decimal(line.lineTotal()))
					.build())
				.toList())
			.setCreatedAt(PayloadFields.timestamp(order.createdAt()))
			.setAt(PayloadFields.timestamp(order.at()))
			.build();
	}

	private static <E extends Message> E as(com.example.shop.proto.order.messages.v1.OrderSummary summary,
			Parser<E> event) {
		try {
			return event.parseFrom(summary.toByteString());
		}
		catch (InvalidProtocolBufferException ex) {
			throw new IllegalStateException("an order event is not wire-identical to OrderSummary", ex);
		}
	}

}
