package com.example.shop.messaging.rabbit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutgoingMessage;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Bounded queues against a real broker: a queue with a limit of 3 and nobody consuming it. What the outbox
 * sends beyond the limit is refused by the broker and waits in {@code outbox_message}, unsent, counted in
 * {@code outbox.publish.rejected}; once the queue is drained, the relay's retries deliver every message, none
 * lost and none twice.
 */
// Ingestion off: nothing is dead-lettered here, and Q.dlq is looked at as a queue.
@SpringBootTest(classes = BoundedQueueTests.App.class, properties = {
		"shop.messaging.rabbit.max-length=" + BoundedQueueTests.LIMIT, "shop.messaging.dead-letters.ingest-enabled=false" })
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class BoundedQueueTests {

	static final int LIMIT = 3;

	static final int MESSAGES = 10;

	static final String QUEUE = "bounded.commands";

	static final String EXCHANGE = "bounded.commands";

	static final String ROUTING_KEY = "command";

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	AmqpAdmin admin;

	@Autowired
	MeterRegistry meters;

	@Test
	void whatAFullQueueRefusesWaitsUnsentInTheOutboxAndIsPublishedOnceTheQueueIsDrained() {
		List<MessageEnvelope> envelopes = new ArrayList<>();
		for (int i = 0; i < MESSAGES; i++) {
			envelopes.add(TestMessages.envelope("ok")); // each its own order: nothing waits behind another's failure
		}
		this.transaction.executeWithoutResult((status) -> envelopes
			.forEach((envelope) -> this.outbox.enqueue(OutgoingMessage.rabbit(EXCHANGE, ROUTING_KEY, envelope))));

		// Every message refused so far has been tried again at least once (backoff 200 ms here), and refused again.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(rows()).filteredOn((row) -> !row.sent()).isNotEmpty().allSatisfy((row) -> {
				assertThat(row.attempts()).isGreaterThanOrEqualTo(2);
				assertThat(row.lastError()).startsWith("RabbitMQ refused it (nack): a queue it is routed to is full");
			});
		});
		// A quorum queue refuses publishes once it has learnt that it is over its limit, until it has shrunk to
		// 80% of it (RabbitMQ's rabbit_fifo): so it holds its limit plus what was already on its way when it went
		// over. The relay sends these ten (ten orders) in one wave, so that is one or a few more than the limit.
		int held = depth(QUEUE);
		assertThat(held).as("messages in the full queue").isBetween(LIMIT, MESSAGES - 1);
		List<OutboxRow> sent = rows().stream().filter(OutboxRow::sent).toList();
		assertThat(sent).as("marked sent: exactly those in the queue").hasSize(held);
		assertThat(rejected()).as("refusals counted, two at least per waiting message")
			.isGreaterThanOrEqualTo(2.0 * (MESSAGES - held));

		// The messages in the queue are the ones marked sent: it refuses anything more until it is drained.
		Set<UUID> received = new HashSet<>();
		for (int i = 0; i < held; i++) {
			received.add(receive());
		}
		assertThat(received).containsExactlyInAnyOrderElementsOf(sent.stream().map(OutboxRow::id).toList());

		// Drained, the queue takes the rest from the relay's retries: every message once, every row sent.
		Map<UUID, Integer> deliveries = new HashMap<>();
		received.forEach((id) -> deliveries.put(id, 1));
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			Message message = this.rabbit.receive(QUEUE, 200);
			if (message != null) {
				deliveries.merge(UUID.fromString(message.getMessageProperties().getMessageId()), 1, Integer::sum);
			}
			return deliveries.size() == MESSAGES;
		});
		assertThat(deliveries.keySet())
			.containsExactlyInAnyOrderElementsOf(envelopes.stream().map(MessageEnvelope::id).toList());
		assertThat(deliveries.values()).as("none published twice").containsOnly(1);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(rows()).allMatch(OutboxRow::sent));
		assertThat(depth(QUEUE)).isZero();
	}

	@Test
	void theQueueItsTiersAndItsParkingQueueAreBoundedAndTheLimitIsAGauge() {
		Map<String, Object> bounded = Map.of("x-queue-type", "quorum", "x-overflow", "reject-publish", "x-max-length",
				LIMIT);
		Map<String, Object> reliable = with(bounded, Map.of("x-dead-letter-strategy", "at-least-once"));
		Map<String, Map<String, Object>> expected = Map.of(
				QUEUE, with(reliable, Map.of("x-dead-letter-exchange", QUEUE + ".dlx", "x-delivery-limit", 10)),
				QUEUE + ".retry.1", with(reliable, Map.of("x-message-ttl", 1000, "x-dead-letter-exchange",
						QUEUE + ".redelivery", "x-dead-letter-routing-key", QUEUE)),
				QUEUE + ".dlq", bounded);

		expected.forEach((queue, arguments) -> {
			// RabbitMQ accepts a redeclaration only with the same limit...
			this.rabbit.execute((channel) -> channel.queueDeclare(queue, true, false, false, arguments));
			// ...so another limit means replacing the queue (docs/messaging.md).
			assertThatThrownBy(() -> this.rabbit.execute((channel) -> channel.queueDeclare(queue, true, false, false,
					with(arguments, Map.of("x-max-length", LIMIT + 1)))))
				.as(queue)
				.hasStackTraceContaining("inequivalent arg 'x-max-length'");
			Gauge limit = this.meters.find("messaging.queue.max.length").tag("queue", queue).gauge();
			assertThat(limit).as(queue).isNotNull();
			assertThat(limit.value()).as(queue).isEqualTo(LIMIT);
		});
	}

	private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
		Map<String, Object> merged = new HashMap<>(base);
		merged.putAll(more);
		return merged;
	}

	private UUID receive() {
		Message message = this.rabbit.receive(QUEUE, 2000);
		assertThat(message).isNotNull();
		return UUID.fromString(message.getMessageProperties().getMessageId());
	}

	private int depth(String queue) {
		return (int) this.admin.getQueueInfo(queue).getMessageCount();
	}

	private double rejected() {
		Counter counter = this.meters.find("outbox.publish.rejected")
			.tag("channel", "rabbit")
			.tag("destination", EXCHANGE)
			.counter();
		return (counter == null) ? 0 : counter.count();
	}

	private List<OutboxRow> rows() {
		return this.jdbc.sql("SELECT id, attempts, last_error, sent_at IS NOT NULL AS sent FROM outbox_message")
			.query((rs, n) -> new OutboxRow(rs.getObject("id", UUID.class), rs.getInt("attempts"),
					rs.getString("last_error"), rs.getBoolean("sent")))
			.list();
	}

	record OutboxRow(UUID id, int attempts, String lastError, boolean sent) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		/** Declared as a consuming service would, but nobody listens: the queue only fills. */
		@Bean
		RabbitQueueTopology boundedCommands() {
			return RabbitQueueTopology.direct(QUEUE, EXCHANGE, ROUTING_KEY);
		}

	}

}
