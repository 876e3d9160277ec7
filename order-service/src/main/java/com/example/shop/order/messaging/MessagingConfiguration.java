package com.example.shop.order.messaging;

import org.springframework.amqp.core.DirectExchange;
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
 * with its retry tiers and dead-letter queue. The exchange {@code payment.commands} is declared here too (direct,
 * as payment-service declares it, so start order does not matter); its queue belongs to payment-service, and
 * until that is bound the outbox keeps those commands and retries (an unroutable message is not "sent").
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
	DirectExchange paymentCommandsExchange(MessagingNames names) {
		return new DirectExchange(names.paymentCommandsExchange(), true, false);
	}

	@Bean
	RabbitQueueTopology paymentRepliesQueue(MessagingNames names) {
		return RabbitQueueTopology.direct(names.paymentRepliesQueue(), names.paymentRepliesExchange(),
				names.paymentRepliesRoutingKey());
	}

}
