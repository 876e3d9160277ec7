package com.example.shop.notification.orderevents;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutgoingMessage;
import com.example.shop.notification.email.EmailQueue;
import com.example.shop.notification.email.EmailQueue.SendEmail;
import com.example.shop.notification.notifications.NotificationRepository;
import com.example.shop.notification.notifications.NotificationType;
import com.example.shop.notification.notifications.OrderSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides which order events the customer gets an email about, and stores that decision:
 * <ul>
 * <li>{@code OrderConfirmed}: {@link NotificationType#ORDER_CONFIRMED};</li>
 * <li>{@code OrderCancelled}: {@link NotificationType#PAYMENT_DECLINED} when the reason is
 * {@code PAYMENT_DECLINED} (the customer can act on it: another card), otherwise
 * {@link NotificationType#ORDER_CANCELLED}, worded after the reason;</li>
 * <li>{@code OrderPlaced}, {@code OrderStatusChanged}: no email. The saga decides within seconds, and one
 * email with the outcome is what a customer wants, not one per step; the live status (WebSocket) shows the
 * steps.</li>
 * <li>{@code OrderFailed}: no email. It is an operator's case (a compensation failed), with the order's
 * outcome still open; the customer hears when an operator settles it, not about the platform's fault.</li>
 * </ul>
 * Anything else, an unknown version, or a payload an email cannot be made from (no customerEmail, no order id
 * or one that is not the correlation id, no total or currency) is a {@link MalformedMessageException}: the
 * library dead-letters it to {@code orders.events.DLT} at once.
 * <p>
 * For an emailed event, one transaction holds the inbox row (the event id, so a redelivery does nothing), the
 * PENDING notification, and the {@code SendEmail} command in the outbox to RabbitMQ {@code notification.email}:
 * all of them or none. The unique (source event, type) of the notification is a second guard, for a replay
 * after the inbox forgot the event.
 */
@Service
public class OrderEmails {

	private static final Logger log = LoggerFactory.getLogger(OrderEmails.class);

	/** The inbox's name for this processing step. */
	static final String CONSUMER = "notification-service.order-emails";

	static final int VERSION = 1;

	static final String SOURCE = "notification-service";

	private final Inbox inbox;

	private final Outbox outbox;

	private final NotificationRepository notifications;

	private final Clock clock = Clock.systemUTC();

	OrderEmails(Inbox inbox, Outbox outbox, NotificationRepository notifications) {
		this.inbox = inbox;
		this.outbox = outbox;
		this.notifications = notifications;
	}

	@Transactional
	public void accept(MessageEnvelope event) {
		if (!emailed(event)) {
			log.debug("{} of order {} needs no email", event.describe(), event.correlationId());
			return;
		}
		OrderSummary order = summary(event);
		NotificationType type = typeOf(event, order);
		if (!this.inbox.firstDelivery(CONSUMER, event)) {
			log.debug("{} of order {} was handled before", event.describe(), order.orderId());
			return;
		}
		Optional<UUID> created = this.notifications.insertIfAbsent(event.id(), type, order, this.clock.instant());
		created.ifPresentOrElse((id) -> {
			this.outbox.enqueue(OutgoingMessage.rabbit(EmailQueue.EXCHANGE, EmailQueue.ROUTING_KEY,
					MessageEnvelope.create(EmailQueue.SEND_EMAIL, EmailQueue.VERSION, SOURCE, order.orderId().toString(),
							new SendEmail(id))));
			log.info("{} of order {}: {} email to {} queued (notification {})", event.describe(), order.orderId(), type,
					order.customerEmail(), id);
		}, () -> log.debug("{} of order {} already has its {} notification", event.describe(), order.orderId(), type));
	}

	/** Whether the event calls for an email; a type or version this service does not know is malformed. */
	private static boolean emailed(MessageEnvelope event) {
		boolean emailed = switch (event.type()) {
			case "OrderConfirmed", "OrderCancelled" -> true;
			case "OrderPlaced", "OrderStatusChanged", "OrderFailed" -> false;
			default -> throw new MalformedMessageException(event.describe() + " is not an order lifecycle event "
					+ "(OrderPlaced, OrderStatusChanged, OrderConfirmed, OrderCancelled, OrderFailed)");
		};
		if (event.version() != VERSION) {
			throw new MalformedMessageException(event.describe() + ": version " + event.version()
					+ " is not one notification-service reads (" + VERSION + ")");
		}
		return emailed;
	}

	private static NotificationType typeOf(MessageEnvelope event, OrderSummary order) {
		if (event.type().equals("OrderConfirmed")) {
			return NotificationType.ORDER_CONFIRMED;
		}
		return "PAYMENT_DECLINED".equals(order.reason()) ? NotificationType.PAYMENT_DECLINED
				: NotificationType.ORDER_CANCELLED;
	}

	/** The payload, checked for what every email needs. */
	private static OrderSummary summary(MessageEnvelope event) {
		OrderSummary order = event.payloadAs(OrderSummary.class);
		if (order.orderId() == null) {
			throw new MalformedMessageException(event.describe() + " has no orderId");
		}
		if (!order.orderId().toString().equalsIgnoreCase(event.correlationId())) {
			throw new MalformedMessageException(event.describe() + " is about order " + order.orderId()
					+ " but its correlationId is '" + event.correlationId() + "'");
		}
		if (order.customerEmail() == null || order.customerEmail().isBlank()) {
			throw new MalformedMessageException(event.describe() + " of order " + order.orderId()
					+ " has no customerEmail: no one to send the email to");
		}
		if (order.total() == null || order.currency() == null || order.currency().isBlank()) {
			throw new MalformedMessageException(event.describe() + " of order " + order.orderId()
					+ " has no total or currency");
		}
		return order;
	}

}
