package com.example.shop.messaging.rabbit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.support.TransactionTemplate;

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
 * RabbitMQ dead letters from {@code Q.dlq} into the {@code dead_letter} table and back, against real
 * RabbitMQ and PostgreSQL, through the admin API over HTTP: a parked message shows up in GET with its
 * failure and is acked off {@code Q.dlq}; the same dead letter delivered twice is one row; a replay sends
 * the original (same body, same message id, no failure headers) to Q alone, not to the other queues bound to
 * the exchange, where the consumer's inbox applies it once or drops it when it was already applied.
 */
@SpringBootTest(classes = RabbitDeadLetterStoreTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "logging.pattern.correlation=[trace=%X{traceId:-none}] ")
@AutoConfigureRestTestClient
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
@ExtendWith(OutputCaptureExtension.class)
class RabbitDeadLetterStoreTests {

	static final String QUEUE = "parcels";

	static final String AUDIT_QUEUE = "parcels.audit";

	static final String EXCHANGE = "parcels";

	static final String ROUTING_KEY = "shipped";

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	AmqpAdmin admin;

	@Autowired
	Listener listener;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RestTestClient client;

	DeadLetterApi api;

	@BeforeEach
	void api() {
		this.api = new DeadLetterApi(this.client);
		this.admin.purgeQueue(AUDIT_QUEUE, false);
	}

	@Test
	void aPoisonMessageIsListedWithItsSourceErrorAttemptsAndPayloadAndLeavesTheDeadLetterQueue(CapturedOutput output) {
		String messageId = UUID.randomUUID().toString();
		String traceId = "0af7651916cd43dd8448eb211c80319c";
		Message poison = new Message("{\"id\": 42".getBytes(StandardCharsets.UTF_8));
		poison.getMessageProperties().setMessageId(messageId);
		poison.getMessageProperties().setHeader(EnvelopeHeaders.MESSAGE_TYPE, "ParcelShipped");
		poison.getMessageProperties().setHeader(EnvelopeHeaders.TRACEPARENT, "00-" + traceId + "-b7ad6b7169203331-01");
		this.rabbit.send(EXCHANGE, ROUTING_KEY, poison);

		JsonNode letter = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.api.listed("", messageId).orElse(null), (found) -> found != null);

		assertThat(letter.path("source").asString()).isEqualTo(QUEUE);
		assertThat(letter.path("type").asString()).isEqualTo("ParcelShipped");
		assertThat(letter.path("error").asString()).startsWith("com.example.shop.messaging.envelope.MalformedMessageException: "
				+ "message is not JSON");
		assertThat(letter.path("attempts").asInt()).as("malformed: never retried").isEqualTo(1);
		assertThat(letter.path("payload").asString()).isEqualTo("{\"id\": 42");
		assertThat(letter.path("broker").asString()).isEqualTo("rabbit");
		assertThat(output.getAll()).containsPattern("WARN .*\\[trace=" + traceId + "\\] .*Dead-lettered message "
				+ messageId + " \\(type ParcelShipped\\) from " + QUEUE + " to " + QUEUE + ".dlq");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.admin.getQueueInfo(QUEUE + ".dlq").getMessageCount() == 0);
	}

	@Test
	void aPermanentFailureIsListedAfterEveryTier() {
		MessageEnvelope broken = TestMessages.envelope("fail-always");

		publish(broken);

		JsonNode letter = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.api.listed("", broken.id().toString()).orElse(null), (found) -> found != null);
		assertThat(letter.path("attempts").asInt()).as("1 attempt + 3 tiers").isEqualTo(4);
		assertThat(letter.path("error").asString()).isEqualTo("java.lang.IllegalStateException: always fails");
		assertThat(MessageEnvelopeCodec.decode(letter.path("payload").asString())).isEqualTo(broken);
	}

	@Test
	void theSameDeadLetterDeliveredTwiceIsOneRow() {
		String deadLetterId = UUID.randomUUID().toString();
		String messageId = UUID.randomUUID().toString();
		String marker = UUID.randomUUID().toString();

		// As RetryTierRecoverer parks it, twice (a redelivery after a crash between commit and ack).
		this.rabbit.send("", QUEUE + ".dlq", parked(messageId, deadLetterId));
		this.rabbit.send("", QUEUE + ".dlq", parked(messageId, deadLetterId));
		this.rabbit.send("", QUEUE + ".dlq", parked(marker, UUID.randomUUID().toString()));

		await().atMost(Duration.ofSeconds(20)).until(() -> rows(marker) == 1);
		assertThat(rows(messageId)).isEqualTo(1);
	}

	@Test
	void aDeadLetterThatCannotBeStoredStaysInTheDeadLetterQueueAndIsStoredOnceTheDatabaseTakesItAgain(
			CapturedOutput output) {
		String messageId = UUID.randomUUID().toString();
		// Every insert fails while the table is away, as it would while the database is down.
		this.jdbc.sql("ALTER TABLE dead_letter RENAME TO dead_letter_away").update();
		try {
			this.rabbit.send("", QUEUE + ".dlq", parked(messageId, UUID.randomUUID().toString()));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getAll().contains("Dead letter " + messageId + " of " + QUEUE + " not stored, retrying"));
		}
		finally {
			this.jdbc.sql("ALTER TABLE dead_letter_away RENAME TO dead_letter").update();
		}

		await().atMost(Duration.ofSeconds(20)).until(() -> rows(messageId) == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.admin.getQueueInfo(QUEUE + ".dlq").getMessageCount() == 0);
	}

	@Test
	void aReplayGoesToTheOriginalQueueAloneWhereTheInboxAppliesItOnceAndDropsItAfterwards() {
		MessageEnvelope parcel = TestMessages.envelope("fail-until-fixed");
		this.listener.broken.set(true);
		publish(parcel);
		JsonNode letter = await().atMost(Duration.ofSeconds(20))
			.until(() -> this.api.listed("", parcel.id().toString()).orElse(null), (found) -> found != null);
		this.listener.broken.set(false);
		String id = letter.path("id").asString();

		this.api.replay(id);

		await().atMost(Duration.ofSeconds(20)).until(() -> this.listener.applied.contains(parcel.id()));
		Message replayed = this.listener.lastMessage.get(parcel.id());
		assertThat(new String(replayed.getBody(), StandardCharsets.UTF_8)).isEqualTo(MessageEnvelopeCodec.encode(parcel));
		assertThat(replayed.getMessageProperties().getMessageId()).isEqualTo(parcel.id().toString());
		assertThat(replayed.getMessageProperties().<String>getHeader(EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("TestHappened");
		assertThat(replayed.getMessageProperties().getHeaders().keySet()).as("retry and failure headers stripped")
			.noneMatch((name) -> name.startsWith("x-"));
		assertThat(this.api.one(id).path("status").asString()).isEqualTo("REPLAYED");

		this.api.replay(id);

		await().atMost(Duration.ofSeconds(20)).until(() -> this.listener.duplicates.contains(parcel.id()));
		assertThat(this.listener.applied).containsOnlyOnce(parcel.id());
		assertThat(this.api.one(id).path("replayCount").asInt()).isEqualTo(2);
		assertThat(this.admin.getQueueInfo(AUDIT_QUEUE).getMessageCount())
			.as("the other queue bound to the exchange got the original only, no replay").isEqualTo(1);
	}

	private long rows(String messageId) {
		return this.jdbc.sql("SELECT count(*) FROM dead_letter WHERE message_id = :id")
			.param("id", messageId)
			.query(Long.class)
			.single();
	}

	private static Message parked(String messageId, String deadLetterId) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		properties.setHeader(RetryHeaders.DEAD_LETTER_ID, deadLetterId);
		properties.setHeader(RetryHeaders.EXCEPTION_CLASS, IllegalStateException.class.getName());
		properties.setHeader(RetryHeaders.EXCEPTION_MESSAGE, "failed");
		properties.setHeader(RetryHeaders.ORIGINAL_QUEUE, QUEUE);
		properties.setHeader(RetryHeaders.RETRY_COUNT, 3);
		return new Message("{}".getBytes(StandardCharsets.UTF_8), properties);
	}

	private void publish(MessageEnvelope envelope) {
		Message message = new Message(MessageEnvelopeCodec.encode(envelope).getBytes(StandardCharsets.UTF_8));
		message.getMessageProperties().setMessageId(envelope.id().toString());
		EnvelopeHeaders.of(envelope).forEach(message.getMessageProperties()::setHeader);
		this.rabbit.send(EXCHANGE, ROUTING_KEY, message);
	}

	/** An idempotent consumer as a service writes one: the inbox row and the effect in one transaction. */
	static class Listener extends ParcelConsumer {

		final Map<UUID, Message> lastMessage = new ConcurrentHashMap<>();

		Listener(Inbox inbox, TransactionTemplate transactions) {
			super(inbox, transactions);
		}

		@RabbitListener(queues = QUEUE)
		void on(Message message) {
			MessageEnvelope envelope = MessageEnvelopeCodec.decode(message.getBody());
			this.lastMessage.put(envelope.id(), message);
			consume(envelope);
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		RabbitQueueTopology parcels() {
			return RabbitQueueTopology.direct(QUEUE, EXCHANGE, ROUTING_KEY);
		}

		/** Another consumer's queue on the same exchange and key: a replay must not reach it. */
		@Bean
		Declarables auditQueue() {
			Queue audit = new Queue(AUDIT_QUEUE, true);
			Binding binding = BindingBuilder.bind(audit).to(new DirectExchange(EXCHANGE, true, false)).with(ROUTING_KEY);
			return new Declarables(audit, binding);
		}

		@Bean
		Listener listener(Inbox inbox, TransactionTemplate transactions) {
			return new Listener(inbox, transactions);
		}

	}

}
