package com.example.shop.messaging.kafka;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;

import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Topic names and declarations. A service declares the topics it owns (and the consumers the dead-letter
 * topics of what they consume) as a bean; Spring's {@code KafkaAdmin} creates what is missing at startup.
 *
 * <pre>
 * &#64;Bean
 * KafkaAdmin.NewTopics inventoryTopics() {
 *     return KafkaTopics.withDeadLetters(3, "inventory.commands", "inventory.replies");
 * }
 * </pre>
 */
public final class KafkaTopics {

	/** Where a record that cannot be processed ends up: {@code <topic>.DLT}. */
	public static final String DEAD_LETTER_SUFFIX = ".DLT";

	private KafkaTopics() {
	}

	public static String deadLetterTopic(String topic) {
		return topic + DEAD_LETTER_SUFFIX;
	}

	/**
	 * Each topic and its {@code .DLT}, both with {@code partitions} partitions and the broker's default
	 * replication factor (1 locally, the cluster's setting elsewhere).
	 */
	public static KafkaAdmin.NewTopics withDeadLetters(int partitions, String... topics) {
		List<NewTopic> declared = new ArrayList<>();
		for (String topic : topics) {
			declared.add(TopicBuilder.name(topic).partitions(partitions).build());
			declared.add(TopicBuilder.name(deadLetterTopic(topic)).partitions(partitions).build());
		}
		return new KafkaAdmin.NewTopics(declared.toArray(NewTopic[]::new));
	}

}
