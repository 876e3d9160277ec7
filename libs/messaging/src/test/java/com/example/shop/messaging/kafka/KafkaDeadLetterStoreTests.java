package com.example.shop.messaging.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.KafkaTestConsumer;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.deadletter.DeadLetterApi;
import com.example.shop.messaging.deadletter.ParcelConsumer;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka dead letters from {@code <topic>.DLT} into the {@code dead_letter} table and back, against real
 * Kafka and PostgreSQL, through the admin API over HTTP: what lands in the DLT shows up in GET with its
 * failure; a DLT record of another consumer group does not; the same record stored twice is one row; a
 * replay re-delivers the original record (same body, same message id, same key, no failure headers) to the
 * original topic, where the consumer's inbox applies it once or drops it when it was already applied.
 */
@SpringBootTest(classes = KafkaDeadLetterStoreTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "shop.messaging.dead-letters.metrics-interval=100ms",
				"logging.pattern.correlation=[trace=%X{traceId:-none}] " })
@AutoConfigureRestTestClient
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
@ExtendWith(OutputCaptureExtension.class)
class KafkaDeadLetterStoreTests {

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	Listener listener;

	@Autowired
	KafkaDeadLetterIngester ingester;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	RestTestClient client;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("${spring.kafka.consumer.group-id}")
	String group;

	@Value("parcels-${test.namespace}")
	String topic;

	DeadLetterApi api;

	@BeforeEach
	void api() {
		this.api = new DeadLetterApi(this.client);
	}

	@Test
	void aPoisonRecordIsListedWithItsSourceErrorAttemptsAndPayload(CapturedOutput output) {
		String key = UUID.randomUUID().toString();
		String messageId = UUID.randomUUID().toString();
		String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		String poison = "not json " + UUID.randomUUID();
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, key, poison);
		record.headers().add(EnvelopeHeaders.MESSAGE_ID, bytes(messageId));
		record.headers().add(EnvelopeHeaders.MESSAGE_TYPE, bytes("ParcelShipped"));
		record.headers().add(EnvelopeHeaders.TRACEPARENT, bytes("00-" + traceId + "-00f067aa0ba902b7-01"));
		this.kafka.send(record);

		JsonNode letter = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.api.listed("", messageId).orElse(null), (found) -> found != null);

		assertThat(letter.path("source").asString()).isEqualTo(this.topic);
		assertThat(letter.path("type").asString()).isEqualTo("ParcelShipped");
		assertThat(letter.path("error").asString()).contains("MalformedMessageException").contains("message is not JSON");
		assertThat(letter.path("attempts").asInt()).as("malformed: never retried").isEqualTo(1);
		assertThat(letter.path("payload").asString()).isEqualTo(poison);
		assertThat(letter.path("status").asString()).isEqualTo("PARKED");
		assertThat(letter.path("replayCount").asInt()).isZero();
		assertThat(letter.path("failedAt").asString()).isNotBlank();
		assertThat(this.api.one(letter.path("id").asString()).path("messageId").asString()).isEqualTo(messageId);
		assertThat(output.getAll()).containsPattern("WARN .*\\[trace=" + traceId + "\\] .*Dead-lettered message "
				+ messageId + " \\(type ParcelShipped\\) from " + this.topic + " to " + this.topic + ".DLT");
	}

	@Test
	void aPermanentFailureIsListedWithAllItsAttempts() {
		MessageEnvelope broken = TestMessages.envelope("fail-always");

		send(broken);

		JsonNode letter = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.api.listed("", broken.id().toString()).orElse(null), (found) -> found != null);
		assertThat(letter.path("attempts").asInt()).as("1 attempt + 3 retries").isEqualTo(4);
		assertThat(letter.path("error").asString()).isEqualTo("java.lang.IllegalStateException: always fails");
		assertThat(letter.path("type").asString()).isEqualTo("TestHappened");
		assertThat(MessageEnvelopeCodec.decode(letter.path("payload").asString())).isEqualTo(broken);
	}

	@Test
	void theSameDeadLetterRecordStoredTwiceIsOneRow() {
		MessageEnvelope broken = TestMessages.envelope("fail-always");
		send(broken);
		ConsumerRecord<byte[], byte[]> deadLetter = deadLetterRecord(broken.id().toString());
		await().atMost(Duration.ofSeconds(30)).until(() -> rows(broken.id().toString()) == 1);

		this.ingester.ingest(deadLetter);
		this.ingester.ingest(deadLetter);

		assertThat(rows(broken.id().toString())).isEqualTo(1);
	}

	@Test
	void aDeadLetterThatCannotBeStoredWaitsInTheTopicAndIsStoredOnceTheDatabaseTakesItAgain(CapturedOutput output) {
		MessageEnvelope broken = TestMessages.envelope("fail-always");
		// Every insert fails while the table is away, as it would while the database is down.
		this.jdbc.sql("ALTER TABLE dead_letter RENAME TO dead_letter_away").update();
		try {
			send(broken);
			deadLetterRecord(broken.id().toString());
			await().atMost(Duration.ofSeconds(20))
				.until(() -> output.getAll().contains("Dead letter " + broken.id() + " of " + this.topic + " not stored"));
		}
		finally {
			this.jdbc.sql("ALTER TABLE dead_letter_away RENAME TO dead_letter").update();
		}

		await().atMost(Duration.ofSeconds(30)).until(() -> rows(broken.id().toString()) == 1);
	}

	@Test
	void aDeadLetterOfAnotherConsumerGroupOnTheSameTopicIsNotStored() {
		String key = UUID.randomUUID().toString();
		String foreign = UUID.randomUUID().toString();
		String ours = UUID.randomUUID().toString();
		// Same key, so both land in one partition of the DLT in this order.
		this.kafka.send(deadLetter(key, foreign, "inventory-service"));
		this.kafka.send(deadLetter(key, ours, this.group));

		await().atMost(Duration.ofSeconds(30)).until(() -> rows(ours) == 1);
		assertThat(rows(foreign)).isZero();
	}

	@Test
	void aReplayDeliversTheOriginalToTheOriginalTopicWhereTheInboxAppliesItOnceAndDropsItAfterwards() {
		MessageEnvelope parcel = TestMessages.envelope(UUID.randomUUID().toString(), "fail-until-fixed", 7);
		this.listener.broken.set(true);
		send(parcel);
		JsonNode letter = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.api.listed("", parcel.id().toString()).orElse(null), (found) -> found != null);
		assertThat(this.listener.applied).doesNotContain(parcel.id());
		this.listener.broken.set(false);
		String id = letter.path("id").asString();

		this.api.replay(id);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.applied.contains(parcel.id()));
		ConsumerRecord<String, String> replayed = this.listener.lastRecord.get(parcel.id());
		assertThat(replayed.topic()).isEqualTo(this.topic);
		assertThat(replayed.key()).isEqualTo(parcel.correlationId());
		assertThat(replayed.value()).isEqualTo(MessageEnvelopeCodec.encode(parcel));
		assertThat(TestMessages.header(replayed.headers(), EnvelopeHeaders.MESSAGE_ID)).isEqualTo(parcel.id().toString());
		assertThat(TestMessages.header(replayed.headers(), EnvelopeHeaders.CORRELATION_ID)).isEqualTo(parcel.correlationId());
		assertThat(replayed.headers().toArray()).extracting(Header::key)
			.noneMatch((name) -> name.startsWith("kafka_dlt-"))
			.doesNotContain(KafkaDeadLetterPublisher.ATTEMPTS_HEADER);
		JsonNode afterReplay = this.api.one(id);
		assertThat(afterReplay.path("status").asString()).isEqualTo("REPLAYED");
		assertThat(afterReplay.path("replayCount").asInt()).isEqualTo(1);
		assertThat(afterReplay.path("replayedAt").asString()).isNotBlank();
		assertThat(this.api.listed("", parcel.id().toString())).as("no longer PARKED").isEmpty();
		assertThat(this.api.listed("?status=REPLAYED", parcel.id().toString())).isPresent();

		// Replayed again: delivered again, and dropped by the inbox, which already applied that message id.
		this.api.replay(id);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.listener.duplicates.contains(parcel.id()));
		assertThat(this.listener.applied).containsOnlyOnce(parcel.id());
		assertThat(this.api.one(id).path("replayCount").asInt()).isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE headers->>'message-id' = :id AND sent_at IS NOT NULL")
			.param("id", parcel.id().toString())
			.query(Long.class)
			.single()).as("each replay went through the outbox").isEqualTo(2);
	}

	@Test
	void aDiscardedDeadLetterIsHiddenByDefaultKeptForAuditAndNotReplayed() {
		MessageEnvelope broken = TestMessages.envelope("fail-always");
		send(broken);
		String id = await().atMost(Duration.ofSeconds(30))
			.until(() -> this.api.listed("", broken.id().toString()).orElse(null), (found) -> found != null)
			.path("id")
			.asString();

		this.api.discard(id);

		assertThat(this.api.listed("", broken.id().toString())).isEmpty();
		assertThat(this.api.listed("?status=DISCARDED", broken.id().toString())).isPresent();
		assertThat(this.api.listed("?status=ALL&source=" + this.topic, broken.id().toString())).isPresent();
		assertThat(this.api.listed("?status=ALL&source=elsewhere", broken.id().toString())).isEmpty();
		assertThat(this.api.one(id).path("status").asString()).isEqualTo("DISCARDED");
		JsonNode conflict = this.api.problem("POST", "/admin/dead-letters/" + id + "/replay", HttpStatus.CONFLICT);
		assertThat(conflict.path("type").asString()).isEqualTo("https://shop.example.com/problems/conflict");
	}

	@Test
	void unknownIdsAre404AndBadInputIs400() {
		String unknown = UUID.randomUUID().toString();
		for (String[] request : List.of(new String[] { "GET", "/admin/dead-letters/" + unknown },
				new String[] { "POST", "/admin/dead-letters/" + unknown + "/replay" },
				new String[] { "DELETE", "/admin/dead-letters/" + unknown })) {
			JsonNode problem = this.api.problem(request[0], request[1], HttpStatus.NOT_FOUND);
			assertThat(problem.path("type").asString()).isEqualTo("https://shop.example.com/problems/not-found");
			assertThat(problem.path("detail").asString()).isEqualTo("No dead letter " + unknown);
		}
		for (String[] request : List.of(new String[] { "GET", "/admin/dead-letters/42" },
				new String[] { "POST", "/admin/dead-letters/not-a-uuid/replay" },
				new String[] { "DELETE", "/admin/dead-letters/42" }, new String[] { "GET", "/admin/dead-letters?status=LOST" },
				new String[] { "GET", "/admin/dead-letters?limit=0" }, new String[] { "GET", "/admin/dead-letters?limit=1001" },
				new String[] { "GET", "/admin/dead-letters?limit=ten" })) {
			JsonNode problem = this.api.problem(request[0], request[1], HttpStatus.BAD_REQUEST);
			assertThat(problem.path("type").asString()).as(request[1]).isEqualTo("https://shop.example.com/problems/validation");
		}
		assertThat(this.api.list("?limit=1000&status=all")).isNotNull();
	}

	@Test
	void theGaugeCountsParkedDeadLettersOfTheSource() {
		MessageEnvelope first = TestMessages.envelope("fail-always");
		MessageEnvelope second = TestMessages.envelope("fail-always");
		send(first);
		send(second);
		await().atMost(Duration.ofSeconds(30)).until(() -> rows(first.id().toString()) + rows(second.id().toString()) == 2);
		await().atMost(Duration.ofSeconds(5)).until(() -> gauge() == parked());
		double before = gauge();
		assertThat(before).isGreaterThanOrEqualTo(2);

		this.api.discard(this.api.listed("", first.id().toString()).orElseThrow().path("id").asString());

		await().atMost(Duration.ofSeconds(5)).until(() -> gauge() == before - 1);
	}

	private double gauge() {
		Gauge gauge = this.meters.find("dead.letters").tag("source", this.topic).gauge();
		return (gauge == null) ? -1 : gauge.value();
	}

	private long parked() {
		return this.jdbc.sql("SELECT count(*) FROM dead_letter WHERE status = 'PARKED' AND source = :source")
			.param("source", this.topic)
			.query(Long.class)
			.single();
	}

	private long rows(String messageId) {
		return this.jdbc.sql("SELECT count(*) FROM dead_letter WHERE message_id = :id")
			.param("id", messageId)
			.query(Long.class)
			.single();
	}

	/** A dead letter as Spring Kafka writes one, from the consumer group given. */
	private ProducerRecord<String, String> deadLetter(String key, String messageId, String consumerGroup) {
		ProducerRecord<String, String> record = new ProducerRecord<>(KafkaTopics.deadLetterTopic(this.topic), key, "{}");
		record.headers().add(EnvelopeHeaders.MESSAGE_ID, bytes(messageId));
		record.headers().add(KafkaHeaders.DLT_ORIGINAL_TOPIC, bytes(this.topic));
		record.headers().add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, bytes(consumerGroup));
		record.headers().add(KafkaHeaders.DLT_EXCEPTION_FQCN, bytes(IllegalStateException.class.getName()));
		record.headers().add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, bytes("failed in " + consumerGroup));
		return record;
	}

	private ConsumerRecord<byte[], byte[]> deadLetterRecord(String messageId) {
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, KafkaTopics.deadLetterTopic(this.topic))) {
			ConsumerRecord<String, String> found = await().atMost(Duration.ofSeconds(30))
				.until(() -> consumer.pollUntil(Integer.MAX_VALUE, Duration.ofMillis(200))
					.stream()
					.filter((record) -> messageId.equals(TestMessages.header(record.headers(), EnvelopeHeaders.MESSAGE_ID)))
					.findFirst()
					.orElse(null), (record) -> record != null);
			return new ConsumerRecord<>(found.topic(), found.partition(), found.offset(), found.timestamp(),
					found.timestampType(), -1, -1, found.key().getBytes(StandardCharsets.UTF_8),
					found.value().getBytes(StandardCharsets.UTF_8), found.headers(), java.util.Optional.empty());
		}
	}

	private void send(MessageEnvelope envelope) {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.topic, envelope.correlationId(),
				MessageEnvelopeCodec.encode(envelope));
		EnvelopeHeaders.of(envelope).forEach((name, value) -> record.headers().add(name, bytes(value)));
		this.kafka.send(record);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/** An idempotent consumer as a service writes one: the inbox row and the effect in one transaction. */
	static class Listener extends ParcelConsumer {

		final Map<UUID, ConsumerRecord<String, String>> lastRecord = new ConcurrentHashMap<>();

		Listener(Inbox inbox, TransactionTemplate transactions) {
			super(inbox, transactions);
		}

		@KafkaListener(topics = "parcels-${test.namespace}")
		void on(ConsumerRecord<String, String> record) {
			MessageEnvelope envelope = MessageEnvelopeCodec.decode(record.value());
			this.lastRecord.put(envelope.id(), record);
			consume(envelope);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics parcelTopics(@Value("parcels-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(2, topic);
		}

		@Bean
		Listener listener(Inbox inbox, TransactionTemplate transactions) {
			return new Listener(inbox, transactions);
		}

	}

}
