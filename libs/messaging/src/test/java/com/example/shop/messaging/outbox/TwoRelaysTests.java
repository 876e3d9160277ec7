package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.KafkaTestConsumer;
import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.TestMessages.TestPayload;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.kafka.KafkaOutboxPublisher;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two relays over one outbox table, as with two replicas: every message reaches Kafka exactly once, and the
 * messages of each order stay in order, counted on the broker. Some publishes fail on purpose, so orders
 * also wait for retries while the other relay goes on.
 */
@SpringBootTest(classes = TwoRelaysTests.App.class, properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class TwoRelaysTests {

	static final int ORDERS = 30;

	static final int MESSAGES_PER_ORDER = 10;

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	KafkaOutboxPublisher kafka;

	@Autowired
	Inbox inbox;

	@Autowired
	MessagingProperties properties;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("relayed-${test.namespace}")
	String topic;

	@Test
	void twoRelaysPublishEveryMessageExactlyOnceAndKeepEachOrderInSequenceThroughFailures() {
		List<String> orders = new ArrayList<>();
		for (int order = 0; order < ORDERS; order++) {
			orders.add(UUID.randomUUID().toString());
		}
		// Each order's messages side by side in the table, so one order's rows fall into the batches of both
		// relays at once: the case where only the per-order lock keeps them in sequence.
		for (String orderId : orders) {
			this.transaction.executeWithoutResult((status) -> {
				for (int sequence = 0; sequence < MESSAGES_PER_ORDER; sequence++) {
					this.outbox.enqueue(OutgoingMessage.kafka(this.topic, TestMessages.envelope(orderId, "ok", sequence)));
				}
			});
		}
		SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
		SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
		OutboxRelay first = relay("first", firstMeters);
		OutboxRelay second = relay("second", secondMeters);

		first.start();
		second.start();
		int expected = ORDERS * MESSAGES_PER_ORDER;
		List<ConsumerRecord<String, String>> records;
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, this.topic)) {
			consumer.pollUntil(expected, Duration.ofSeconds(60));
			// Then a while longer: a duplicate would arrive after the last original.
			records = consumer.pollFor(Duration.ofSeconds(2));
		}
		finally {
			first.stop();
			second.stop();
		}

		assertThat(records.size()).as("records on the topic").isEqualTo(expected);
		assertThat(new HashSet<>(OutboxKafkaTests.ids(records)).size()).as("distinct message ids").isEqualTo(expected);
		Map<String, List<Integer>> sequences = new LinkedHashMap<>();
		records.forEach((record) -> sequences.computeIfAbsent(record.key(), (key) -> new ArrayList<>())
			.add(MessageEnvelopeCodec.decode(record.value()).payloadAs(TestPayload.class).sequence()));
		assertThat(sequences).hasSize(ORDERS);
		sequences.forEach((orderId, received) -> assertThat(received).as("order " + orderId)
			.containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
		double publishedByFirst = firstMeters.get("outbox.published").counter().count();
		double publishedBySecond = secondMeters.get("outbox.published").counter().count();
		assertThat(publishedByFirst + publishedBySecond).isEqualTo(expected);
		assertThat(firstMeters.get("outbox.publish.failures").counter().count()
				+ secondMeters.get("outbox.publish.failures").counter().count()).as("injected failures").isPositive();
		assertThat(publishedByFirst).as("both relays shared the work").isPositive();
		assertThat(publishedBySecond).as("both relays shared the work").isPositive();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.jdbc
			.sql("SELECT count(*) FROM outbox_message WHERE sent_at IS NULL").query(Long.class).single()).isZero());
	}

	/** A relay as another replica would run it: its own thread and meters, the same table and broker. */
	private OutboxRelay relay(String name, SimpleMeterRegistry meters) {
		MessagingProperties.Outbox defaults = this.properties.outbox();
		// Small batches and a short poll, so the two relays interleave many times over the backlog.
		MessagingProperties.Outbox settings = new MessagingProperties.Outbox(true, Duration.ofMillis(20), 7,
				defaults.publishTimeout(), defaults.retryInitialDelay(), defaults.retryMultiplier(),
				defaults.retryMaxDelay(), defaults.retention(), defaults.housekeepingInterval(),
				defaults.metricsInterval());
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		return new OutboxRelay(name, repository, this.transaction, List.of(new FailingEveryFifth(this.kafka)), settings,
				new OutboxMetrics(repository, meters, name),
				new OutboxHousekeeping(repository, this.inbox, defaults.retention(), Duration.ofDays(30)));
	}

	/** Refuses every fifth message it is given without publishing it, as a broker hiccup would. */
	static final class FailingEveryFifth implements OutboxPublisher {

		private final OutboxPublisher publisher;

		private final AtomicInteger calls = new AtomicInteger();

		FailingEveryFifth(OutboxPublisher publisher) {
			this.publisher = publisher;
		}

		@Override
		public Channel channel() {
			return this.publisher.channel();
		}

		@Override
		public CompletableFuture<Void> send(PendingMessage message) {
			if (this.calls.incrementAndGet() % 5 == 0) {
				return CompletableFuture.failedFuture(new PublishFailedException("injected failure", false));
			}
			return this.publisher.send(message);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics relayedTopics(@Value("relayed-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(3, topic);
		}

	}

}
