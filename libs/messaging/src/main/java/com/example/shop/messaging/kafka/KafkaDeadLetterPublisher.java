package com.example.shop.messaging.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;

/**
 * Writes failed records to {@code <topic>.DLT} with Spring Kafka's {@link DeadLetterPublishingRecoverer}:
 * the original key, value and headers, plus {@code kafka_dlt-exception-fqcn/-message/-stacktrace} and
 * {@code kafka_dlt-original-topic/-partition/-offset/-consumer-group}.
 * <p>
 * The value is the original String, or the raw bytes when the record could not even be deserialized, hence
 * a serializer by type. The partition is left to the key (partition -1), so a dead-letter topic need not
 * have as many partitions as its topic. A dead letter that cannot be written fails the recovery, and the
 * record is retried rather than skipped.
 */
public class KafkaDeadLetterPublisher implements DisposableBean {

	private final DefaultKafkaProducerFactory<Object, Object> producers;

	private final DeadLetterPublishingRecoverer recoverer;

	public KafkaDeadLetterPublisher(Map<String, Object> reliableProducerProperties) {
		this.producers = new DefaultKafkaProducerFactory<>(new HashMap<>(reliableProducerProperties), byType(),
				byType());
		this.recoverer = new DeadLetterPublishingRecoverer(new KafkaTemplate<>(this.producers),
				(record, failure) -> new TopicPartition(KafkaTopics.deadLetterTopic(record.topic()), -1));
	}

	public DeadLetterPublishingRecoverer recoverer() {
		return this.recoverer;
	}

	private static DelegatingByTypeSerializer byType() {
		Map<Class<?>, Serializer<?>> serializers = new HashMap<>();
		serializers.put(String.class, new StringSerializer());
		serializers.put(byte[].class, new ByteArraySerializer());
		return new DelegatingByTypeSerializer(serializers);
	}

	@Override
	public void destroy() {
		this.producers.destroy();
	}

}
