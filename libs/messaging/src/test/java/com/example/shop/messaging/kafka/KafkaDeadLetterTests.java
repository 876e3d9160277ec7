package com.example.shop.messaging.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import com.example.shop.messaging.KafkaTestConsumer;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.TestMessages.TestPayload;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consuming from Kafka with the library's error handling, against a real broker: malformed records go to
 * {@code <topic>.DLT} at once and the records behind them are processed; transient failures are retried;
 * permanent ones end in the DLT after the configured attempts (1 + 3 retries here).
 */
@SpringBootTest(classes = KafkaDeadLetterTests.App.class, properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class KafkaDeadLetterTests {

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	Listener listener;

	@Autowired
	ConsumerFactory<?, ?> consumerFactory;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("work-${test.namespace}")
	String topic;

	@Test
	void aMalformedRecordGoesToTheDeadLetterTopicAtOnceAndTheNextRecordIsProcessed() {
		String key = UUID.randomUUID().toString();
		String malformed = "not json " + UUID.randomUUID();
		MessageEnvelope next = TestMessages.envelope(key, "ok", 1);

		this.kafka.send(this.topic, key, malformed);
		send(next);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.processed.contains(next.id()));
		ConsumerRecord<String, String> deadLetter = deadLetter((record) -> malformed.equals(record.value()));
		assertThat(deadLetter.key()).isEqualTo(key);
		assertThat(header(deadLetter, "kafka_dlt-exception-fqcn") + " " + header(deadLetter, "kafka_dlt-exception-cause-fqcn"))
			.contains("MalformedMessageException");
		assertThat(header(deadLetter, "kafka_dlt-exception-message")).contains("message is not JSON");
		assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(this.topic);
		assertThat(header(deadLetter, "kafka_dlt-original-offset")).isNotBlank();
		assertThat(header(deadLetter, "kafka_dlt-original-consumer-group")).startsWith("messaging-test-");
		assertThat(this.listener.attempts(malformed)).as("never retried").isEqualTo(1);
	}

	@Test
	void aTransientFailureSucceedsAfterRetries() {
		MessageEnvelope flaky = TestMessages.envelope("fail-twice");

		send(flaky);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.processed.contains(flaky.id()));
		assertThat(this.listener.attempts(MessageEncoding.of(flaky))).isEqualTo(3);
		assertThat(deadLetters()).noneMatch((record) -> flaky.id().toString().equals(header(record, EnvelopeHeaders.MESSAGE_ID)));
	}

	@Test
	void aPermanentFailureEndsInTheDeadLetterTopicAfterTheConfiguredAttemptsAndDoesNotBlockTheNextRecord() {
		String key = UUID.randomUUID().toString();
		MessageEnvelope broken = TestMessages.envelope(key, "fail-always", 1);
		MessageEnvelope next = TestMessages.envelope(key, "ok", 2);

		send(broken);
		send(next);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.processed.contains(next.id()));
		ConsumerRecord<String, String> deadLetter = deadLetter(
				(record) -> broken.id().toString().equals(header(record, EnvelopeHeaders.MESSAGE_ID)));
		assertThat(this.listener.attempts(MessageEncoding.of(broken))).as("1 attempt + 3 retries").isEqualTo(4);
		assertThat(MessageEnvelopeCodec.decode(deadLetter.value())).isEqualTo(broken);
		assertThat(header(deadLetter, "kafka_dlt-exception-message")).contains("always fails");
		assertThat(header(deadLetter, EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("TestHappened");
		assertThat(header(deadLetter, EnvelopeHeaders.CORRELATION_ID)).isEqualTo(key);
	}

	@Test
	void listenersReadStringValuesBehindTheErrorHandlingDeserializer() {
		Map<String, Object> consumer = this.consumerFactory.getConfigurationProperties();

		assertThat(consumer.get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)).isEqualTo(ErrorHandlingDeserializer.class);
		assertThat(consumer.get(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG)).isEqualTo(ErrorHandlingDeserializer.class);
		assertThat(consumer.get(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS))
			.isEqualTo(org.apache.kafka.common.serialization.StringDeserializer.class);
	}

	/** As the outbox relay publishes: keyed by the order, the envelope's identity in headers. */
	private void send(MessageEnvelope envelope) {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, envelope.correlationId(),
				MessageEncoding.of(envelope));
		EnvelopeHeaders.of(envelope)
			.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
		this.kafka.send(record);
	}

	private List<ConsumerRecord<String, String>> deadLetters() {
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, KafkaTopics.deadLetterTopic(this.topic))) {
			return consumer.pollFor(Duration.ofSeconds(1));
		}
	}

	private ConsumerRecord<String, String> deadLetter(Predicate<ConsumerRecord<String, String>> which) {
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, KafkaTopics.deadLetterTopic(this.topic))) {
			return await().atMost(Duration.ofSeconds(30))
				.until(() -> consumer.pollUntil(Integer.MAX_VALUE, Duration.ofMillis(200))
					.stream()
					.filter(which)
					.findFirst()
					.orElse(null), (found) -> found != null);
		}
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		return TestMessages.header(record.headers(), name);
	}

	/** Encoding in one place, so attempts are counted per exact record value. */
	static final class MessageEncoding {

		static String of(MessageEnvelope envelope) {
			return MessageEnvelopeCodec.encode(envelope);
		}

	}

	/** A consumer as a service writes one: decode the envelope, then act on the payload. */
	static class Listener {

		final List<UUID> processed = new CopyOnWriteArrayList<>();

		final Map<String, AtomicInteger> attemptsByValue = new ConcurrentHashMap<>();

		@KafkaListener(topics = "work-${test.namespace}")
		void on(String value) {
			int attempt = this.attemptsByValue.computeIfAbsent(value, (v) -> new AtomicInteger()).incrementAndGet();
			MessageEnvelope envelope = MessageEnvelopeCodec.decode(value);
			String mode = envelope.payloadAs(TestPayload.class).mode();
			if (mode.equals("fail-always")) {
				throw new IllegalStateException("this message always fails");
			}
			if (mode.equals("fail-twice") && attempt <= 2) {
				throw new IllegalStateException("transient failure " + attempt);
			}
			this.processed.add(envelope.id());
		}

		int attempts(String value) {
			AtomicInteger attempts = this.attemptsByValue.get(value);
			return (attempts == null) ? 0 : attempts.get();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics workTopics(@Value("work-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(2, topic);
		}

		@Bean
		Listener listener() {
			return new Listener();
		}

	}

}
