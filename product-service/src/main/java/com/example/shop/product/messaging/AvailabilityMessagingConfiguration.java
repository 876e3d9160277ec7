package com.example.shop.product.messaging;

import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.product.availability.StockChangesTopic;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The topic this service consumes, with its dead-letter topic, created at startup by Kafka's admin when
 * missing. inventory-service, which owns the topic, declares both too (same partitions), so start order does
 * not matter; and when Kafka is down at startup this service still starts (the admin gives up after
 * {@code spring.kafka.admin.operation-timeout}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StockChangesTopic.class)
class AvailabilityMessagingConfiguration {

	@Bean
	KafkaAdmin.NewTopics stockChangeTopics(StockChangesTopic topic) {
		return KafkaTopics.withDeadLetters(topic.partitions(), topic.stockChangesTopic());
	}

}
