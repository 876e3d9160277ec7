package com.example.shop.notification.messaging;

import com.example.shop.notification.orderevents.OrderEmails;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * order-service's lifecycle events from Kafka {@code orders.events}, in the consumer group shared by every
 * replica ({@code spring.kafka.consumer.group-id}, notification-service): each event is handled once by one of
 * them. Retries and {@code orders.events.DLT} are libs/messaging's; a malformed record (not an envelope, an
 * unknown type or version, a payload without what an email needs) goes there at once, with the reason in
 * {@code kafka_dlt-exception-message}, and the records behind it go on.
 * <p>
 * Kafka is not needed to serve the API: while the broker is unreachable the consumer keeps reconnecting in
 * the background, and readiness does not include it.
 */
@Component
class OrderEventsListener {

	private final OrderEmails emails;

	OrderEventsListener(OrderEmails emails) {
		this.emails = emails;
	}

	@KafkaListener(id = "order-events", idIsGroup = false,
			topics = "${shop.notification.messaging.order-events-topic:orders.events}")
	void on(String record) {
		this.emails.accept(record);
	}

}
