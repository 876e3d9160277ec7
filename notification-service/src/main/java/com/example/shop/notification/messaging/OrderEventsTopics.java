package com.example.shop.notification.messaging;

import com.example.shop.notification.orderevents.OrderEventsProperties;
import com.example.shop.messaging.kafka.KafkaTopics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * {@code orders.events} and its dead-letter topic {@code orders.events.DLT}, created at startup when missing
 * (order-service declares {@code orders.events} too, with the same partitions, so start order does not matter).
 */
@Configuration(proxyBeanMethods = false)
class OrderEventsTopics {

	@Bean
	KafkaAdmin.NewTopics orderEventsTopic(OrderEventsProperties properties) {
		return KafkaTopics.withDeadLetters(properties.partitions(), properties.orderEventsTopic());
	}

}
