package com.example.shop.messaging.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/**
 * Reads every record of one real Kafka topic, from its beginning, on a thread of its own, and keeps them: the
 * test's view of what the broker really holds. Not a consumer group, so it takes nothing from the service.
 */
public final class KafkaTopicRecorder implements AutoCloseable {

	private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();

	private final KafkaConsumer<String, String> consumer;

	private final Thread poller;

	private volatile boolean running = true;

	public KafkaTopicRecorder(String bootstrapServers, String topic) {
		this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
		List<TopicPartition> partitions = new ArrayList<>();
		// The service creates its topics at startup; wait for them rather than race it.
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
			partitions.clear();
			this.consumer.partitionsFor(topic, Duration.ofSeconds(5))
				.forEach((info) -> partitions.add(new TopicPartition(topic, info.partition())));
			return !partitions.isEmpty();
		});
		this.consumer.assign(partitions);
		this.consumer.seekToBeginning(partitions);
		this.poller = Thread.ofPlatform().name("recorder-" + topic).daemon(true).start(this::poll);
	}

	private void poll() {
		try {
			while (this.running) {
				this.consumer.poll(Duration.ofMillis(100)).forEach(this.records::add);
			}
		}
		catch (WakeupException closing) {
			// close() woke the poll up
		}
		finally {
			this.consumer.close(Duration.ofSeconds(2));
		}
	}

	/** Every record received so far. */
	public List<ConsumerRecord<String, String>> records() {
		return List.copyOf(this.records);
	}

	/** The records received so far that match. */
	public List<ConsumerRecord<String, String>> records(Predicate<ConsumerRecord<String, String>> which) {
		return this.records.stream().filter(which).toList();
	}

	/** Waits until at least {@code count} records match, then returns all that match. */
	public List<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> which, int count,
			Duration timeout) {
		return Awaitility.await()
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> records(which), (found) -> found.size() >= count);
	}

	/** The first record that matches, waiting up to 30 s for it. */
	public ConsumerRecord<String, String> awaitOne(Predicate<ConsumerRecord<String, String>> which) {
		return await(which, 1, Duration.ofSeconds(30)).getFirst();
	}

	/** Records about this key (order or product id). */
	public static Predicate<ConsumerRecord<String, String>> keyed(UUID key) {
		return (record) -> key.toString().equals(record.key());
	}

	public static MessageEnvelope envelope(ConsumerRecord<String, String> record) {
		return MessageEnvelopeCodec.decode(record.value());
	}

	/** The envelopes keyed by this order (or product), in topic order. */
	public List<MessageEnvelope> of(UUID key) {
		return records(keyed(key)).stream().map(KafkaTopicRecorder::envelope).toList();
	}

	public List<String> typesOf(UUID key) {
		return of(key).stream().map(MessageEnvelope::type).toList();
	}

	/** Waits up to 20 s for the {@code n}-th (from 1) message of this type keyed by {@code key}. */
	public MessageEnvelope await(UUID key, String type, int n) {
		return Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> of(key).stream().filter((envelope) -> envelope.type().equals(type)).toList(),
					(found) -> found.size() >= n)
			.get(n - 1);
	}

	public MessageEnvelope await(UUID key, String type) {
		return await(key, type, 1);
	}

	/** The record that carried this envelope. */
	public ConsumerRecord<String, String> recordOf(MessageEnvelope envelope) {
		return records().stream()
			.filter((record) -> record.value().contains(envelope.id().toString()))
			.findFirst()
			.orElseThrow();
	}

	public static String header(ConsumerRecord<String, String> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header == null) ? null : new String(header.value(), StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.consumer.wakeup();
		this.poller.join(Duration.ofSeconds(5));
	}

}
