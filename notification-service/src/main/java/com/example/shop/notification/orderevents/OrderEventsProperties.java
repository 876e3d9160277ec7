package com.example.shop.notification.orderevents;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.notification.messaging.*}: the Kafka topic of order lifecycle events, read by the email consumer
 * (group {@code spring.kafka.consumer.group-id}, {@code notification-service}, shared by the replicas) and by the
 * live-status feed (a group per replica). The name is the platform's; only tests change it (a namespace suffix
 * per test class on the shared broker).
 *
 * @param partitions of {@code orders.events}; the same as order-service declares, so start order does not matter
 */
@ConfigurationProperties("shop.notification.messaging")
public record OrderEventsProperties(@DefaultValue("orders.events") String orderEventsTopic,
		@DefaultValue("3") int partitions) {

	public OrderEventsProperties {
		if (partitions < 1) {
			throw new IllegalArgumentException("shop.notification.messaging.partitions must be 1 or more, got " + partitions);
		}
	}

}
