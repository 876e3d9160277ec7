package com.example.shop.messaging.rabbit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.TestMessages.TestPayload;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Consuming from RabbitMQ with the library's retry tiers, against a real broker (retry delays 1 s, 200 ms,
 * 200 ms here): a failed message waits in a tier queue while the messages behind it are processed, comes
 * back, and after the last tier parks in {@code Q.dlq} with the failure in headers. Malformed messages park
 * at once. Nothing loops.
 */
// Ingestion off: this test reads Q.dlq itself, where ingestion would take the parked messages away into the
// dead_letter table (RabbitDeadLetterStoreTests covers that part).
@SpringBootTest(classes = RabbitRetryTests.App.class,
		properties = { "shop.messaging.outbox.relay-enabled=false", "shop.messaging.dead-letters.ingest-enabled=false" })
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class RabbitRetryTests {

	static final String QUEUE = "payment.commands";

	static final String EXCHANGE = "payment";

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	AmqpAdmin admin;

	@Autowired
	Listener listener;

	@Test
	void aMalformedMessageIsParkedAtOnceWithTheFailureInHeadersAndTheNextMessageIsProcessed() {
		String malformedId = UUID.randomUUID().toString();
		MessageEnvelope next = TestMessages.envelope("ok");

		publish(malformedId, "{\"id\": 42".getBytes(StandardCharsets.UTF_8));
		publish(next);

		await().atMost(Duration.ofSeconds(20)).until(() -> this.listener.processed.contains(next.id().toString()));
		Message parked = receiveParked(malformedId);
		MessageProperties headers = parked.getMessageProperties();
		assertThat(headers.<String>getHeader(RetryHeaders.EXCEPTION_CLASS)).isEqualTo(MalformedMessageException.class.getName());
		assertThat(headers.<String>getHeader(RetryHeaders.EXCEPTION_MESSAGE)).startsWith("message is not JSON");
		assertThat(headers.<String>getHeader(RetryHeaders.ORIGINAL_QUEUE)).isEqualTo(QUEUE);
		assertThat(headers.<Integer>getHeader(RetryHeaders.RETRY_COUNT)).isZero();
		assertThat(Instant.parse(headers.getHeader(RetryHeaders.FAILED_AT))).isBefore(Instant.now());
		assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\": 42");
		assertThat(this.listener.attempts(malformedId)).as("never retried").hasSize(1);
	}

	@Test
	void aTransientFailureWaitsInTheFirstTierWithoutBlockingTheNextMessageAndThenSucceeds() {
		MessageEnvelope flaky = TestMessages.envelope("fail-once");
		MessageEnvelope behind = TestMessages.envelope("ok");

		publish(flaky);
		publish(behind);

		await().atMost(Duration.ofSeconds(20)).until(() -> this.listener.processed.contains(flaky.id().toString()));
		List<Attempt> attempts = this.listener.attempts(flaky.id().toString());
		assertThat(attempts).hasSize(2);
		Duration waited = Duration.between(attempts.get(0).at(), attempts.get(1).at());
		assertThat(waited).as("held by Q.retry.1 for its 1 s TTL").isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
		assertThat(attempts.get(1).retryCount()).isEqualTo(1);
		assertThat(attempts.get(1).deadLetteredFrom()).isEqualTo(QUEUE + ".retry.1");
		Instant behindProcessed = this.listener.attempts(behind.id().toString()).get(0).at();
		assertThat(behindProcessed).as("the message behind did not wait for the retry").isBefore(attempts.get(1).at());
		assertThat(this.rabbit.receive(QUEUE + ".dlq", 300)).isNull();
	}

	@Test
	void aPermanentFailureGoesThroughEveryTierThenParksInTheDeadLetterQueueAndStopsThere() {
		MessageEnvelope broken = TestMessages.envelope("fail-always");

		publish(broken);

		Message parked = receiveParked(broken.id().toString());
		assertThat(parked.getMessageProperties().<Integer>getHeader(RetryHeaders.RETRY_COUNT)).isEqualTo(3);
		assertThat(parked.getMessageProperties().<String>getHeader(RetryHeaders.EXCEPTION_CLASS))
			.isEqualTo(IllegalStateException.class.getName());
		assertThat(parked.getMessageProperties().<String>getHeader(RetryHeaders.EXCEPTION_MESSAGE)).isEqualTo("always fails");
		assertThat(parked.getMessageProperties().<String>getHeader(EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("TestHappened");
		assertThat(MessageEnvelopeCodec.decode(parked.getBody())).isEqualTo(broken);
		List<Attempt> attempts = this.listener.attempts(broken.id().toString());
		assertThat(attempts).extracting(Attempt::retryCount).containsExactly(0, 1, 2, 3);

		// Parked means parked: no further deliveries, nothing left in the queue or its tiers.
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
			.until(() -> this.listener.attempts(broken.id().toString()).size() == 4);
		for (String queue : List.of(QUEUE, QUEUE + ".retry.1", QUEUE + ".retry.2", QUEUE + ".retry.3")) {
			assertThat(this.admin.getQueueInfo(queue).getMessageCount()).as(queue).isZero();
		}
	}

	@Test
	void theQueueItsTiersAndItsParkingQueueAreDeclaredAsDocumented() {
		// Every queue bounded (the default limit), refusing publishes beyond it; Q.dlq too, instead of dropping its
		// oldest parked messages (BoundedQueueTests).
		Map<String, Object> bounded = Map.of("x-queue-type", "quorum", "x-overflow", "reject-publish", "x-max-length",
				100_000);
		Map<String, Object> reliableQuorum = with(bounded, Map.of("x-dead-letter-strategy", "at-least-once"));
		Map<String, Map<String, Object>> expected = Map.of(
				QUEUE, with(reliableQuorum, Map.of("x-dead-letter-exchange", QUEUE + ".dlx", "x-delivery-limit", 10)),
				QUEUE + ".retry.1", with(reliableQuorum, Map.of("x-message-ttl", 1000, "x-dead-letter-exchange",
						QUEUE + ".redelivery", "x-dead-letter-routing-key", QUEUE)),
				QUEUE + ".retry.3", with(reliableQuorum, Map.of("x-message-ttl", 200, "x-dead-letter-exchange",
						QUEUE + ".redelivery", "x-dead-letter-routing-key", QUEUE)),
				QUEUE + ".dlq", bounded);

		expected.forEach((queue, arguments) -> {
			// RabbitMQ accepts a redeclaration only with equivalent arguments...
			this.rabbit.execute((channel) -> channel.queueDeclare(queue, true, false, false, arguments));
			// ...and refuses one that differs, for example a classic queue.
			assertThatThrownBy(() -> this.rabbit.execute((channel) -> channel.queueDeclare(queue, true, false, false,
					with(arguments, Map.of("x-queue-type", "classic")))))
				.as(queue)
				.hasStackTraceContaining("inequivalent arg 'x-queue-type'");
		});
	}

	private static Map<String, Object> with(Map<String, Object> base, Map<String, Object> more) {
		Map<String, Object> merged = new HashMap<>(base);
		merged.putAll(more);
		return merged;
	}

	private void publish(MessageEnvelope envelope) {
		Message message = new Message(MessageEnvelopeCodec.encode(envelope).getBytes(StandardCharsets.UTF_8));
		message.getMessageProperties().setMessageId(envelope.id().toString());
		EnvelopeHeaders.of(envelope).forEach(message.getMessageProperties()::setHeader);
		this.rabbit.send(EXCHANGE, "payment.command.authorize", message);
	}

	private void publish(String messageId, byte[] body) {
		Message message = new Message(body);
		message.getMessageProperties().setMessageId(messageId);
		this.rabbit.send(EXCHANGE, "payment.command.authorize", message);
	}

	/** Takes messages from the parking queue until the one with {@code messageId} arrives. */
	private Message receiveParked(String messageId) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			Message message = this.rabbit.receive(QUEUE + ".dlq", 500);
			return (message != null && messageId.equals(message.getMessageProperties().getMessageId())) ? message : null;
		}, (message) -> message != null);
	}

	/** One delivery to the listener: when, and what the retry handling had written on it. */
	record Attempt(Instant at, int retryCount, String deadLetteredFrom) {
	}

	/** A consumer as a service writes one: decode the envelope (refusing malformed ones), then act. */
	static class Listener {

		final List<String> processed = new CopyOnWriteArrayList<>();

		final Map<String, List<Attempt>> attemptsById = new ConcurrentHashMap<>();

		@RabbitListener(queues = QUEUE)
		void on(Message message) {
			MessageProperties properties = message.getMessageProperties();
			Integer retryCount = properties.getHeader(RetryHeaders.RETRY_COUNT);
			List<Attempt> attempts = this.attemptsById.computeIfAbsent(properties.getMessageId(),
					(id) -> new CopyOnWriteArrayList<>());
			attempts.add(new Attempt(Instant.now(), (retryCount == null) ? 0 : retryCount, firstDeathQueue(properties)));
			MessageEnvelope envelope = MessageEnvelopeCodec.decode(message.getBody());
			String mode = envelope.payloadAs(TestPayload.class).mode();
			if (mode.equals("fail-always") || (mode.equals("fail-once") && attempts.size() == 1)) {
				throw new IllegalStateException(mode.equals("fail-always") ? "always fails" : "fails once");
			}
			this.processed.add(envelope.id().toString());
		}

		List<Attempt> attempts(String messageId) {
			return this.attemptsById.getOrDefault(messageId, List.of());
		}

		/** The queue the broker last dead-lettered this message from (its x-death header), if any. */
		private static String firstDeathQueue(MessageProperties properties) {
			List<Map<String, ?>> deaths = properties.getXDeathHeader();
			return (deaths == null || deaths.isEmpty()) ? null : String.valueOf(deaths.get(0).get("queue"));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		RabbitQueueTopology paymentCommands() {
			return RabbitQueueTopology.topic(QUEUE, EXCHANGE, "payment.command.#");
		}

		@Bean
		Listener listener() {
			return new Listener();
		}

	}

}
