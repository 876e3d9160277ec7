package com.example.shop.order.messaging;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.messaging.rabbit.RabbitQueueTopology;

/**
 * The topics and the queue this service owns or consumes (docs/messaging.md). Kafka's admin creates missing
 * topics at startup: {@code inventory.commands} and {@code orders.events} (produced here) and
 * {@code inventory.replies} with its {@code .DLT} (consumed here). libs/messaging declares the replies queue
 * with its retry tiers and dead-letter queue, and the exchange {@code payment.replies} it listens on. The exchange
 * {@code payment.commands} that this service publishes to is payment-service's to declare, as the queue behind it:
 * this service's RabbitMQ user may publish there and nothing more (deploy/rabbitmq/permissions). Until
 * payment-service has declared and bound them, the outbox keeps those commands and retries (a message to a
 * missing exchange or without a queue is not "sent").
 */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

	@Bean
	KafkaAdmin.NewTopics producedTopics(MessagingNames names) {
		return new KafkaAdmin.NewTopics(
				TopicBuilder.name(names.inventoryCommandsTopic()).partitions(names.partitions()).build(),
				TopicBuilder.name(names.orderEventsTopic()).partitions(names.partitions()).build());
	}

	@Bean
	KafkaAdmin.NewTopics consumedTopics(MessagingNames names) {
		return KafkaTopics.withDeadLetters(names.partitions(), names.inventoryRepliesTopic());
	}

	@Bean
	RabbitQueueTopology paymentRepliesQueue(MessagingNames names) {
		return RabbitQueueTopology.direct(names.paymentRepliesQueue(), names.paymentRepliesExchange(),
				names.paymentRepliesRoutingKey());
	}

}
