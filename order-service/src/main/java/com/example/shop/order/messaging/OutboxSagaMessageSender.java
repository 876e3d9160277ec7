package com.example.shop.order.messaging;

import java.util.List;

import org.springframework.stereotype.Component;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutgoingMessage;
import com.example.shop.order.orders.OrderMessage;
import com.example.shop.order.orders.OrderMessage.AuthorizePayment;
import com.example.shop.order.orders.OrderMessage.CapturePayment;
import com.example.shop.order.orders.OrderMessage.ConfirmReservation;
import com.example.shop.order.orders.OrderMessage.OrderCancelled;
import com.example.shop.order.orders.OrderMessage.OrderConfirmed;
import com.example.shop.order.orders.OrderMessage.OrderEvent;
import com.example.shop.order.orders.OrderMessage.OrderFailed;
import com.example.shop.order.orders.OrderMessage.OrderPlaced;
import com.example.shop.order.orders.OrderMessage.OrderStatusChanged;
import com.example.shop.order.orders.OrderMessage.OrderSummary;
import com.example.shop.order.orders.OrderMessage.ReleaseReservation;
import com.example.shop.order.orders.OrderMessage.ReserveStock;
import com.example.shop.order.orders.OrderMessage.VoidPayment;
import com.example.shop.order.orders.SagaMessageSender;

/**
 * The saga's messages as the envelopes of docs/messaging.md, into libs/messaging's outbox in the caller's
 * transaction: inventory commands on Kafka {@code inventory.commands} and lifecycle events on
 * {@code orders.events} (key = order id, so one order's messages stay in order), payment commands to the
 * RabbitMQ exchange {@code payment.commands} with routing keys {@code authorize}, {@code capture},
 * {@code void}. The relay publishes them once the transaction committed.
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
		String inventory = this.names.inventoryCommandsTopic();
		String payment = this.names.paymentCommandsExchange();
		return switch (message) {
			case ReserveStock reserve -> OutgoingMessage.kafka(inventory, envelope(reserve, "ReserveStock",
					new SagaPayloads.ReserveStock(reserve.orderId(), reserve.lines()
						.stream()
						.map((line) -> new SagaPayloads.Line(line.productId(), line.quantity()))
						.toList())));
			case ConfirmReservation confirm -> OutgoingMessage.kafka(inventory,
					envelope(confirm, "ConfirmReservation", new SagaPayloads.ConfirmReservation(confirm.orderId())));
			case ReleaseReservation release -> OutgoingMessage.kafka(inventory, envelope(release, "ReleaseReservation",
					new SagaPayloads.ReleaseReservation(release.orderId(), release.reason().name())));
			case AuthorizePayment authorize -> OutgoingMessage.rabbit(payment, "authorize",
					envelope(authorize, "AuthorizePayment", new SagaPayloads.AuthorizePayment(authorize.orderId(),
							authorize.customerId(), authorize.amount(), authorize.currency(), authorize.token())));
			case CapturePayment capture -> OutgoingMessage.rabbit(payment, "capture",
					envelope(capture, "CapturePayment", new SagaPayloads.CapturePayment(capture.orderId())));
			case VoidPayment voidPayment -> OutgoingMessage.rabbit(payment, "void",
					envelope(voidPayment, "VoidPayment", new SagaPayloads.VoidPayment(voidPayment.orderId())));
			case OrderEvent event -> OutgoingMessage.kafka(this.names.orderEventsTopic(),
					envelope(event, eventType(event), lifecycle(event)));
		};
	}

	private static String eventType(OrderEvent event) {
		return switch (event) {
			case OrderPlaced placed -> "OrderPlaced";
			case OrderConfirmed confirmed -> "OrderConfirmed";
			case OrderCancelled cancelled -> "OrderCancelled";
			case OrderFailed failed -> "OrderFailed";
			case OrderStatusChanged changed -> "OrderStatusChanged";
		};
	}

	private static SagaPayloads.OrderLifecycle lifecycle(OrderEvent event) {
		OrderSummary order = event.order();
		String reason = (event instanceof OrderCancelled cancelled) ? cancelled.reason().name()
				: (order.cancellationReason() != null) ? order.cancellationReason().name() : null;
		return new SagaPayloads.OrderLifecycle(order.id(), order.customerId(), order.customerEmail(),
				order.status().name(), reason, order.total(), order.currency(), order.lines()
					.stream()
					.map((line) -> new SagaPayloads.EventLine(line.productId(), line.sku(), line.name(), line.unitPrice(),
							line.quantity(), line.lineTotal()))
					.toList(),
				order.createdAt(), order.at());
	}

	private static MessageEnvelope envelope(OrderMessage message, String type, Object payload) {
		return MessageEnvelope.create(type, SagaPayloads.VERSION, MessagingNames.SOURCE, message.orderId().toString(),
				payload);
	}

}
