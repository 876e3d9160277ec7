package com.example.shop.inventory.messaging;

import com.example.shop.messaging.kafka.KafkaTopics;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topics of this service (docs/messaging.md), created at startup by Kafka's admin when missing. Consumed
 * here, so declared with their {@code .DLT}: {@code inventory.commands} and {@code inventory.stock-changes} (the
 * WatchStock feed; product-service dead-letters into the same DLT). Produced only: {@code inventory.replies}
 * (order-service declares its DLT). order-service and product-service declare the topics they share with this
 * service too, with the same partition count, so start order does not matter.
 */
@Configuration(proxyBeanMethods = false)
class InventoryTopics {

	@Bean
	KafkaAdmin.NewTopics consumedTopics(InventoryMessagingProperties topics) {
		return KafkaTopics.withDeadLetters(topics.partitions(), topics.commandsTopic(), topics.stockChangesTopic());
	}

	@Bean
	KafkaAdmin.NewTopics producedTopics(InventoryMessagingProperties topics) {
		return new KafkaAdmin.NewTopics(
				TopicBuilder.name(topics.repliesTopic()).partitions(topics.partitions()).build());
	}

}
