package com.example.shop.order.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads every record of one real Kafka topic (from its beginning, on a thread of its own) and keeps them, so
 * a test can wait for the message it expects and inspect key, headers and envelope.
 */
public final class KafkaTopicRecorder implements AutoCloseable {

	private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();

	private final KafkaConsumer<String, String> consumer;

	private final Thread poller;

	private volatile boolean running = true;

	public KafkaTopicRecorder(String bootstrapServers, String topic) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
		List<TopicPartition> partitions = new ArrayList<>();
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
			partitions.clear();
			this.consumer.partitionsFor(topic, Duration.ofSeconds(5))
				.forEach((info) -> partitions.add(new TopicPartition(topic, info.partition())));
			return !partitions.isEmpty();
		});
		this.consumer.assign(partitions);
		this.consumer.seekToBeginning(partitions);
		this.poller = Thread.ofPlatform().name("recorder-" + topic).daemon().start(this::poll);
	}

	private void poll() {
		try {
			while (this.running) {
				this.consumer.poll(Duration.ofMillis(100)).forEach(this.records::add);
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			this.consumer.close(Duration.ZERO);
		}
	}

	public List<ConsumerRecord<String, String>> records() {
		return List.copyOf(this.records);
	}

	/** The envelopes keyed by this order, in topic order. */
	public List<MessageEnvelope> of(UUID orderId) {
		return this.records.stream()
			.filter((record) -> orderId.toString().equals(record.key()))
			.map((record) -> MessageEnvelopeCodec.decode(record.value()))
			.toList();
	}

	public List<String> typesOf(UUID orderId) {
		return of(orderId).stream().map(MessageEnvelope::type).toList();
	}

	/** Waits for the {@code n}-th (from 1) message of this type for the order. */
	public MessageEnvelope await(UUID orderId, String type, int n) {
		return Awaitility.await().atMost(Duration.ofSeconds(20))
			.until(() -> of(orderId).stream().filter((e) -> e.type().equals(type)).toList(), (found) -> found.size() >= n)
			.get(n - 1);
	}

	public MessageEnvelope await(UUID orderId, String type) {
		return await(orderId, type, 1);
	}

	public ConsumerRecord<String, String> recordOf(MessageEnvelope envelope) {
		return this.records.stream()
			.filter((record) -> record.value().contains(envelope.id().toString()))
			.findFirst()
			.orElseThrow();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.consumer.wakeup();
		this.poller.join(5000);
	}

}
