package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
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
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.TestMessages.TestPayload;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The outbox with Kafka: only committed messages are published, with key and headers. The relay polls only
 * once an hour here, so every delivery in this class proves the after-commit nudge.
 */
@SpringBootTest(classes = OutboxKafkaTests.App.class, properties = "shop.messaging.outbox.poll-interval=1h")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class OutboxKafkaTests {

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("orders-${test.namespace}")
	String topic;

	@Test
	void enqueueOutsideATransactionIsRefused() {
		MessageEnvelope envelope = TestMessages.envelope("ok");

		assertThatThrownBy(() -> this.outbox.enqueue(OutgoingMessage.kafka(this.topic, envelope)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("needs the caller's transaction");
		assertThat(rowCount(envelope.id())).isZero();
	}

	@Test
	void aRolledBackTransactionPublishesNothing() {
		MessageEnvelope rolledBack = TestMessages.envelope("ok");
		MessageEnvelope committed = TestMessages.envelope("ok");

		this.transaction.executeWithoutResult((status) -> {
			this.outbox.enqueue(OutgoingMessage.kafka(this.topic, rolledBack));
			status.setRollbackOnly();
		});
		this.transaction.executeWithoutResult((status) -> this.outbox.enqueue(OutgoingMessage.kafka(this.topic, committed)));

		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, this.topic)) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> ids(consumer.pollUntil(Integer.MAX_VALUE, Duration.ofMillis(200))).contains(committed.id().toString()));
			assertThat(ids(consumer.pollFor(Duration.ofMillis(500)))).doesNotContain(rolledBack.id().toString());
		}
		assertThat(rowCount(rolledBack.id())).isZero();
	}

	@Test
	void aCommittedMessageArrivesWithinMillisecondsKeyedByOrderWithItsHeaders() {
		String orderId = UUID.randomUUID().toString();
		MessageEnvelope envelope = TestMessages.envelope(orderId, "ok", 1);
		double publishedBefore = publishedCount();

		long started = System.nanoTime();
		this.transaction.executeWithoutResult((status) -> this.outbox.enqueue(OutgoingMessage.kafka(this.topic, envelope)));

		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, this.topic)) {
			ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(20))
				.until(() -> find(consumer.pollUntil(Integer.MAX_VALUE, Duration.ofMillis(100)), envelope.id()),
						(found) -> found != null);
			// The relay would poll only in an hour: the commit itself set it off.
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			assertThat(record.key()).isEqualTo(orderId);
			assertThat(MessageEnvelopeCodec.decode(record.value())).isEqualTo(envelope);
			assertThat(TestMessages.header(record.headers(), EnvelopeHeaders.MESSAGE_ID)).isEqualTo(envelope.id().toString());
			assertThat(TestMessages.header(record.headers(), EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("TestHappened");
			assertThat(TestMessages.header(record.headers(), EnvelopeHeaders.MESSAGE_VERSION)).isEqualTo("1");
			assertThat(TestMessages.header(record.headers(), EnvelopeHeaders.MESSAGE_SOURCE)).isEqualTo(TestMessages.SOURCE);
			assertThat(TestMessages.header(record.headers(), EnvelopeHeaders.CORRELATION_ID)).isEqualTo(orderId);
			assertThat(record.headers().lastHeader(EnvelopeHeaders.TRACEPARENT)).as("no tracer, no trace header").isNull();
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(this.jdbc.sql("SELECT sent_at IS NOT NULL AND attempts = 1 AND last_error IS NULL FROM outbox_message WHERE id = :id")
				.param("id", envelope.id())
				.query(Boolean.class)
				.single()).isTrue();
			assertThat(publishedCount()).isGreaterThan(publishedBefore);
			assertThat(this.meters.get("outbox.backlog").tag("application", "messaging-test").gauge().value()).isZero();
		});
	}

	@Test
	void messagesOfOneOrderArriveInTheOrderTheyWereEnqueued() {
		String orderId = UUID.randomUUID().toString();
		List<MessageEnvelope> envelopes = List.of(TestMessages.envelope(orderId, "ok", 0),
				TestMessages.envelope(orderId, "ok", 1), TestMessages.envelope(orderId, "ok", 2),
				TestMessages.envelope(orderId, "ok", 3));

		this.transaction.executeWithoutResult((status) -> envelopes
			.forEach((envelope) -> this.outbox.enqueue(OutgoingMessage.kafka(this.topic, envelope))));

		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, this.topic)) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> ofOrder(consumer.pollUntil(Integer.MAX_VALUE, Duration.ofMillis(100)), orderId).size() == 4);
			assertThat(ofOrder(consumer.pollFor(Duration.ofMillis(300)), orderId)).containsExactly(0, 1, 2, 3);
		}
	}

	private double publishedCount() {
		var counter = this.meters.find("outbox.published").tag("channel", "kafka").counter();
		return (counter == null) ? 0 : counter.count();
	}

	private long rowCount(UUID id) {
		return this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE id = :id").param("id", id).query(Long.class).single();
	}

	static List<String> ids(List<ConsumerRecord<String, String>> records) {
		return records.stream().map((record) -> TestMessages.header(record.headers(), EnvelopeHeaders.MESSAGE_ID)).toList();
	}

	static ConsumerRecord<String, String> find(List<ConsumerRecord<String, String>> records, UUID id) {
		return records.stream()
			.filter((record) -> id.toString().equals(TestMessages.header(record.headers(), EnvelopeHeaders.MESSAGE_ID)))
			.findFirst()
			.orElse(null);
	}

	static List<Integer> ofOrder(List<ConsumerRecord<String, String>> records, String orderId) {
		return records.stream()
			.filter((record) -> orderId.equals(record.key()))
			.map((record) -> MessageEnvelopeCodec.decode(record.value()).payloadAs(TestPayload.class).sequence())
			.toList();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics orderTopics(@Value("orders-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(3, topic);
		}

	}

}
