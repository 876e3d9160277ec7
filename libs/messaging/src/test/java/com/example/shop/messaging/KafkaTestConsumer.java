package com.example.shop.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads everything on one topic from the beginning, as a test's view of what the broker really holds. */
public final class KafkaTestConsumer implements AutoCloseable {

	private final KafkaConsumer<String, String> consumer;

	private final List<ConsumerRecord<String, String>> received = new ArrayList<>();

	public KafkaTestConsumer(String bootstrapServers, String topic) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = this.consumer.partitionsFor(topic, Duration.ofSeconds(10))
			.stream()
			.map((info) -> new TopicPartition(topic, info.partition()))
			.toList();
		this.consumer.assign(partitions);
		this.consumer.seekToBeginning(partitions);
	}

	/** Everything received so far, after polling until there are {@code count} records or the time is up. */
	public List<ConsumerRecord<String, String>> pollUntil(int count, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.received.size() < count && System.nanoTime() < deadline) {
			this.consumer.poll(Duration.ofMillis(100)).forEach(this.received::add);
		}
		return List.copyOf(this.received);
	}

	/** Everything received after polling for {@code duration}: to show that nothing more arrives. */
	public List<ConsumerRecord<String, String>> pollFor(Duration duration) {
		return pollUntil(Integer.MAX_VALUE, duration);
	}

	@Override
	public void close() {
		this.consumer.close(Duration.ofSeconds(2));
	}

}
