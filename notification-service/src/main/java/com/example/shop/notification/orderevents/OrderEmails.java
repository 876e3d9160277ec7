package com.example.shop.notification.orderevents;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import com.google.protobuf.Message;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

import com.example.shop.messaging.consumer.MessageConsumer;
import com.example.shop.messaging.consumer.MessageConsumers;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.messaging.outbox.Destination;
import com.example.shop.notification.email.EmailQueue;
import com.example.shop.notification.NotificationRepository;
import com.example.shop.notification.NotificationType;
import com.example.shop.notification.OrderSummary;
import com.example.shop.proto.notification.messages.v1.SendEmail;
import com.example.shop.proto.order.messages.v1.OrderCancelled;
import com.example.shop.proto.order.messages.v1.OrderConfirmed;
import com.example.shop.proto.order.messages.v1.OrderFailed;
import com.example.shop.proto.order.messages.v1.OrderPlaced;
import com.example.shop.proto.order.messages.v1.OrderStatusChanged;

/**
 * Decides which order events the customer gets an email about, and stores that decision:
 * <ul>
 * <li>{@code OrderConfirmed}: {@link NotificationType#ORDER_CONFIRMED};</li>
 * <li>{@code OrderCancelled}: {@link NotificationType#PAYMENT_DECLINED} when the reason is
 * {@code PAYMENT_DECLINED} (the customer can act on it: another card), {@link NotificationType#ORDER_REFUNDED}
 * when it is {@code REFUNDED} (a confirmed order cancelled afterwards: the customer was charged and wants to
 * know the money is coming back), otherwise {@link NotificationType#ORDER_CANCELLED}, worded after the
 * reason;</li>
 * <li>{@code OrderPlaced}, {@code OrderStatusChanged}: no email. The saga decides within seconds, and one
 * email with the outcome is what a customer wants, not one per step; the live status (WebSocket) shows the
 * steps.</li>
 * <li>{@code OrderFailed}: no email. It is an operator's case (a compensation failed), with the order's
 * outcome still open; the customer hears when an operator settles it, not about the platform's fault.</li>
 * </ul>
 * One row per event type in a libs/messaging {@link MessageConsumer}. Anything else, an unknown version, or a
 * payload an email cannot be made from (no customerEmail, no order id or one that is not the correlation id, no
 * total or currency) is a {@link MalformedMessageException}: the library dead-letters it to
 * {@code orders.events.DLT} at once.
 * <p>
 * For an emailed event, one transaction (the consumer's) holds the inbox row (the event id, so a redelivery does nothing), the
 * PENDING notification, and the {@code SendEmail} command in the outbox to RabbitMQ {@code notification.email}:
 * all of them or none. The unique (source event, type) of the notification is a second guard, for a replay
 * after the inbox forgot the event.
 */
@Service
public class OrderEmails {

	private static final Logger log = LoggerFactory.getLogger(OrderEmails.class);

	/** The inbox's name for this processing step. */
	static final String CONSUMER = "notification-service.order-emails";

	private final NotificationRepository notifications;

	private final Clock clock;

	private final MessageConsumer consumer;

	OrderEmails(NotificationRepository notifications, MessageConsumers consumers, Clock clock) {
		this.notifications = notifications;
		this.clock = clock;
		this.consumer = consumers.named(CONSUMER)
			.repliesTo(Destination.rabbit(EmailQueue.EXCHANGE, EmailQueue.ROUTING_KEY))
			.answer(OrderConfirmed.class, (event, envelope) -> store(envelope, event, NotificationType.ORDER_CONFIRMED))
			.answer(OrderCancelled.class, (event, envelope) -> store(envelope, event, cancellation(event.getReason())))
			.ignore(OrderPlaced.class, OrderStatusChanged.class, OrderFailed.class)
			.build();
	}

	/** The email a cancellation gets, after its reason (order-service's codes; an unknown one is a plain cancel). */
	static NotificationType cancellation(String reason) {
		return switch (reason) {
			case "PAYMENT_DECLINED" -> NotificationType.PAYMENT_DECLINED;
			case "REFUNDED" -> NotificationType.ORDER_REFUNDED;
			default -> NotificationType.ORDER_CANCELLED;
		};
	}

	/** One record of {@code orders.events}. */
	public void accept(String record) {
		this.consumer.accept(record);
	}

	/** The notification, stored once per event and type; its SendEmail, or null when it was stored before. */
	private @Nullable SendEmail store(MessageEnvelope event, Message payload, NotificationType type) {
		OrderSummary order = summary(event, payload);
		Optional<UUID> created = this.notifications.insertIfAbsent(event.id(), type, order, this.clock.instant());
		if (created.isEmpty()) {
			log.debug("{} of order {} already has its {} notification", event.describe(), order.orderId(), type);
			return null;
		}
		log.info("{} of order {}: {} email to {} queued (notification {})", event.describe(), order.orderId(), type,
				order.customerEmail(), created.get());
		return SendEmail.newBuilder().setNotificationId(created.get().toString()).build();
	}

	/** The payload as the notification keeps it, checked for what every email needs. */
	private static OrderSummary summary(MessageEnvelope event, Message payload) {
		var order = OrderEvents.summaryOf(payload);
		if (order.getCustomerEmail().isBlank()) {
			throw new MalformedMessageException(event.describe() + " of order " + order.getOrderId()
					+ " has no customerEmail: no one to send the email to");
		}
		if (order.getTotal().isBlank() || order.getCurrency().isBlank()) {
			throw new MalformedMessageException(event.describe() + " of order " + order.getOrderId()
					+ " has no total or currency");
		}
		return new OrderSummary(PayloadFields.uuid(order.getOrderId(), "orderId"),
				PayloadFields.optionalUuid(order.getCustomerId(), "customerId"), order.getCustomerEmail(),
				order.getStatus(), order.getReason().isEmpty() ? null : order.getReason(),
				PayloadFields.decimal(order.getTotal(), "total"), order.getCurrency(),
				order.getLinesList()
					.stream()
					.map((line) -> new OrderSummary.Line(PayloadFields.uuid(line.getProductId(), "lines.productId"),
							line.getSku(), line.getName(), decimal(line.getUnitPrice(), "lines.unitPrice"),
							line.getQuantity(), decimal(line.getLineTotal(), "lines.lineTotal")))
					.toList(),
				order.hasCreatedAt() ? PayloadFields.instant(order.getCreatedAt()) : null,
				order.hasAt() ? PayloadFields.instant(order.getAt()) : null);
	}

	private static @Nullable BigDecimal decimal(String value, String field) {
		return value.isEmpty() ? null : PayloadFields.decimal(value, field);
	}

}
