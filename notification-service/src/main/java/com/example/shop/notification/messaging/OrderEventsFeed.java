package com.example.shop.notification.messaging;

import java.util.Optional;
import java.util.UUID;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.envelope.PayloadFields;
import com.example.shop.notification.live.KnownOrder;
import com.example.shop.notification.live.OrderStatus;
import com.example.shop.notification.live.OrderStatusProjection;
import com.example.shop.notification.live.OrderStatusUpdate;
import com.example.shop.notification.orderevents.OrderEvents;
import com.example.shop.notification.web.OrderStatusSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds this replica's live sessions from {@code orders.events}: records the status in the projection (for
 * clients that connect later) and pushes it to the sessions of that order connected here.
 * <p>
 * The consumer group is this replica's own ({@code shop.notification.live.feed-group-id}, random per start), so every
 * replica reads every event and serves its own clients; it starts at the end of the topic ({@code latest}): the
 * projection and order-service answer for the past. It never dead-letters (every replica would write its own
 * copy): a record that is not a readable event is logged and skipped, types without a usable order id and status
 * are ignored (see {@link LiveKafkaConfiguration}). The push happens even when the projection already held the
 * update (another replica wrote it first) or could not be written: this replica's clients still need it, and
 * each session drops what is not later than what it has.
 */
@Component
class OrderEventsFeed {

	private static final Logger log = LoggerFactory.getLogger(OrderEventsFeed.class);

	private final OrderStatusProjection projection;

	private final OrderStatusSessions sessions;

	OrderEventsFeed(OrderStatusProjection projection, OrderStatusSessions sessions) {
		this.projection = projection;
		this.sessions = sessions;
	}

	// One consumer thread for all partitions: it writes one row and queues the update for the sessions.
	@KafkaListener(id = "notification-live-status", idIsGroup = false,
			containerFactory = LiveKafkaConfiguration.LISTENER_CONTAINER_FACTORY,
			topics = "${shop.notification.messaging.order-events-topic:orders.events}",
			groupId = "${shop.notification.live.feed-group-id:notification-live-${random.uuid}}", concurrency = "1",
			properties = "auto.offset.reset=latest")
	void on(String record) {
		Optional<KnownOrder> update;
		try {
			MessageEnvelope event = MessageEnvelopeCodec.decode(record);
			update = read(event);
			if (update.isEmpty()) {
				log.debug("Ignored {}: no order status in it", event.describe());
				return;
			}
		}
		catch (MalformedMessageException ex) {
			log.warn("Skipped a record of orders.events that is not a readable order event: {}", ex.getMessage());
			return;
		}
		OrderStatusUpdate status = update.get().status();
		try {
			this.projection.record(status, update.get().customerId());
		}
		catch (DataAccessException ex) {
			// The connected clients still get it; the next event of the order writes the row.
			log.warn("Could not record the status of order {}: {}", status.orderId(), ex.getMessage());
		}
		this.sessions.push(status);
	}

	/**
	 * The status update a lifecycle event carries, with the order's customer (null when the event has none); empty
	 * for other types, and for a summary without a usable order id, status or time.
	 * @throws MalformedMessageException when it is a lifecycle event but not a readable one
	 */
	static Optional<KnownOrder> read(MessageEnvelope event) {
		return OrderEvents.read(event).flatMap((order) -> {
			if (order.getOrderId().isEmpty() || !order.hasAt()) {
				return Optional.empty();
			}
			UUID orderId = PayloadFields.uuid(order.getOrderId(), "orderId");
			UUID customerId = PayloadFields.optionalUuid(order.getCustomerId(), "customerId");
			return OrderStatus.parse(order.getStatus())
				.map((status) -> new KnownOrder(new OrderStatusUpdate(orderId, status,
						order.getReason().isEmpty() ? null : order.getReason(), PayloadFields.instant(order.getAt())),
						customerId));
		});
	}

}
