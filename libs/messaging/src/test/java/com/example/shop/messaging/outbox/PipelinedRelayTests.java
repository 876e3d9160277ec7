package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
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
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.kafka.KafkaOutboxPublisher;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.messaging.rabbit.RabbitOutboxPublisher;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One batch of several orders' rows, published in waves to real brokers: the rows of different orders are
 * in flight together, the rows of one order never are, a failure in the middle of an order holds back that
 * order's later rows (until its retry, in a later batch) and nothing else, each order arrives in sequence
 * (read back from the broker), and the acknowledged rows are marked sent with one repository call per batch.
 * The relay is not started: each test runs its batches itself.
 */
@SpringBootTest(classes = PipelinedRelayTests.App.class, properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ })
class PipelinedRelayTests {

	static final int ROWS_PER_ORDER = 4;

	static final String EXCHANGE = "pipelined";

	static final String QUEUE = "pipelined.observer";

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	KafkaOutboxPublisher kafka;

	@Autowired
	RabbitOutboxPublisher rabbit;

	@Autowired
	RabbitTemplate rabbitTemplate;

	@Autowired
	AmqpAdmin rabbitAdmin;

	@Autowired
	Inbox inbox;

	@Autowired
	MessagingProperties properties;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("pipelined-${test.namespace}")
	String topic;

	@BeforeEach
	void nothingLeftOver() {
		this.jdbc.sql("DELETE FROM outbox_message").update();
		this.rabbitAdmin.purgeQueue(QUEUE, false);
	}

	@Test
	void onKafkaAFailureInTheMiddleOfOneOrderHoldsBackOnlyItsLaterRowsAndEachOrderArrivesInSequence() {
		List<String> orders = List.of(order(), order(), order());
		String failing = orders.get(1);
		List<MessageEnvelope> rows = enqueue(orders,
				(envelope, sequence) -> OutgoingMessage.kafka(this.topic, envelope));
		UUID refused = rowOf(rows, failing, 1);
		ObservedBroker broker = new ObservedBroker(this.kafka, Set.of(refused));
		CountingRepository repository = new CountingRepository(this.jdbc);
		OutboxRelay relay = relay(repository, broker);

		assertThat(relay.relayOneBatch()).as("rows in the batch").isEqualTo(orders.size() * ROWS_PER_ORDER);

		assertThat(repository.markSentCalls).as("one statement marks the batch's acknowledged rows sent")
			.containsExactly(ids(rows.stream().filter((row) -> !row.correlationId().equals(failing)
					|| sequence(row) == 0)));
		assertThat(state(refused)).isEqualTo("unsent after 1 attempt: injected failure");
		assertThat(state(rowOf(rows, failing, 2))).isEqualTo("unsent after 0 attempts");
		assertThat(state(rowOf(rows, failing, 3))).isEqualTo("unsent after 0 attempts");
		assertThat(broker.maxInFlight.get()).as("one wave: the first row of each order, in flight together")
			.isEqualTo(orders.size());
		assertThat(broker.sentBehindItsOrder).as("rows sent while an earlier row of their order was in flight")
			.isEmpty();
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, this.topic)) {
			consumer.pollUntil(9, Duration.ofSeconds(20));
			assertThat(kafkaSequences(consumer.pollFor(Duration.ofMillis(500)))).as("on the broker")
				.containsExactlyInAnyOrderEntriesOf(Map.of(orders.get(0), List.of(0, 1, 2, 3), failing, List.of(0),
						orders.get(2), List.of(0, 1, 2, 3)));

			// Its retry, after the backoff, in a later batch; then the rest of that order behind it.
			await().atMost(Duration.ofSeconds(20)).until(() -> {
				relay.relayOneBatch();
				return unsent() == 0;
			});
			consumer.pollUntil(12, Duration.ofSeconds(20));
			assertThat(kafkaSequences(consumer.pollFor(Duration.ofMillis(500))).get(failing)).containsExactly(0, 1, 2, 3);
		}
		assertThat(broker.sentBehindItsOrder).isEmpty();
	}

	@Test
	void onRabbitMqAnUnroutableRowInTheMiddleOfOneOrderHoldsBackOnlyItsLaterRowsAndEachOrderArrivesInSequence() {
		List<String> orders = List.of(order(), order(), order());
		String failing = orders.get(1);
		// The failing order's second row goes where no queue is bound yet: RabbitMQ returns it.
		List<MessageEnvelope> rows = enqueue(orders,
				(envelope, sequence) -> OutgoingMessage.rabbit(EXCHANGE, (envelope.correlationId().equals(failing)
						&& sequence == 1) ? "late.1" : "pipelined." + sequence, envelope));
		UUID unroutable = rowOf(rows, failing, 1);
		ObservedBroker broker = new ObservedBroker(this.rabbit, Set.of());
		CountingRepository repository = new CountingRepository(this.jdbc);
		OutboxRelay relay = relay(repository, broker);

		assertThat(relay.relayOneBatch()).isEqualTo(orders.size() * ROWS_PER_ORDER);

		assertThat(repository.markSentCalls).as("one statement marks the batch's acknowledged rows sent")
			.containsExactly(ids(rows.stream().filter((row) -> !row.correlationId().equals(failing)
					|| sequence(row) == 0)));
		assertThat(state(unroutable)).startsWith("unsent after 1 attempt: unroutable: exchange 'pipelined'");
		assertThat(state(rowOf(rows, failing, 2))).isEqualTo("unsent after 0 attempts");
		assertThat(state(rowOf(rows, failing, 3))).isEqualTo("unsent after 0 attempts");
		assertThat(broker.maxInFlight.get()).isEqualTo(orders.size());
		assertThat(broker.sentBehindItsOrder).isEmpty();
		assertThat(rabbitSequences(receive(9))).as("in the queue")
			.containsExactlyInAnyOrderEntriesOf(Map.of(orders.get(0), List.of(0, 1, 2, 3), failing, List.of(0),
					orders.get(2), List.of(0, 1, 2, 3)));

		// Routable from now on: its retry, in a later batch, then the rest of that order behind it.
		this.rabbitAdmin.declareBinding(
				BindingBuilder.bind(new Queue(QUEUE)).to(new TopicExchange(EXCHANGE)).with("late.#"));
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			relay.relayOneBatch();
			return unsent() == 0;
		});
		assertThat(rabbitSequences(receive(3))).containsExactly(Map.entry(failing, List.of(1, 2, 3)));
		assertThat(broker.sentBehindItsOrder).isEmpty();
	}

	/**
	 * RabbitMQ closes the channel of a publish to a missing exchange, and would drop whatever was published on
	 * that channel after it. Spring AMQP hands a channel back to its cache only once its confirms are in, so the
	 * other messages of the wave, sent while that one waits, each went on a channel of their own: they are
	 * taken at their first attempt.
	 */
	@Test
	void onRabbitMqAPublishToAMissingExchangeCostsTheRestOfItsWaveNothing() {
		List<String> orders = List.of(order(), order(), order(), order());
		String stuck = orders.get(0);
		List<MessageEnvelope> rows = new ArrayList<>();
		OutboxRepository inserting = new OutboxRepository(this.jdbc);
		this.transaction.executeWithoutResult((status) -> orders.forEach((orderId) -> {
			MessageEnvelope envelope = TestMessages.envelope(orderId, "ok", 0);
			inserting.insert(OutgoingMessage.rabbit(orderId.equals(stuck) ? "missing-" + orderId : EXCHANGE,
					"pipelined.0", envelope));
			rows.add(envelope);
		}));
		OutboxRelay relay = relay(new OutboxRepository(this.jdbc), this.rabbit);

		assertThat(relay.relayOneBatch()).isEqualTo(orders.size());

		// The nack's reason is the broker's (NOT_FOUND - no exchange ...) or, when Spring AMQP closes the channel
		// first, "Channel closed by application".
		assertThat(state(rows.get(0).id())).startsWith("unsent after 1 attempt: RabbitMQ refused it (nack)");
		rows.subList(1, rows.size())
			.forEach((row) -> assertThat(state(row.id())).as("its wave").isEqualTo("sent after 1 attempt"));
		assertThat(rabbitSequences(receive(orders.size() - 1))).as("each of the others once")
			.containsOnlyKeys(orders.subList(1, orders.size()))
			.allSatisfy((orderId, sequences) -> assertThat(sequences).containsExactly(0));
	}

	private OutboxRelay relay(OutboxRepository repository, OutboxPublisher publisher) {
		MessagingProperties.Outbox settings = this.properties.outbox();
		return new OutboxRelay("pipelined", repository, this.transaction, List.of(publisher), settings,
				new OutboxMetrics(repository, new SimpleMeterRegistry(), "pipelined"),
				new OutboxHousekeeping(repository, this.inbox, settings.retention(), Duration.ofDays(30)));
	}

	/** Each order's rows side by side, in sequence, as a saga step enqueues them; all in one transaction. */
	private List<MessageEnvelope> enqueue(List<String> orders, RowFactory rows) {
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		List<MessageEnvelope> envelopes = new ArrayList<>();
		this.transaction.executeWithoutResult((status) -> orders.forEach((orderId) -> {
			for (int sequence = 0; sequence < ROWS_PER_ORDER; sequence++) {
				MessageEnvelope envelope = TestMessages.envelope(orderId, "ok", sequence);
				repository.insert(rows.row(envelope, sequence));
				envelopes.add(envelope);
			}
		}));
		return envelopes;
	}

	private static String order() {
		return UUID.randomUUID().toString();
	}

	private static UUID rowOf(List<MessageEnvelope> rows, String orderId, int sequence) {
		return rows.stream()
			.filter((row) -> row.correlationId().equals(orderId) && sequence(row) == sequence)
			.findFirst()
			.orElseThrow()
			.id();
	}

	private static int sequence(MessageEnvelope envelope) {
		return envelope.payloadAs(TestPayload.class).sequence();
	}

	private static Set<UUID> ids(Stream<MessageEnvelope> rows) {
		return Set.copyOf(rows.map(MessageEnvelope::id).toList());
	}

	private String state(UUID id) {
		return OutboxRowState.of(this.jdbc, id);
	}

	private long unsent() {
		return this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE sent_at IS NULL").query(Long.class).single();
	}

	private static Map<String, List<Integer>> kafkaSequences(List<ConsumerRecord<String, String>> records) {
		Map<String, List<Integer>> sequences = new LinkedHashMap<>();
		records.forEach((record) -> sequences.computeIfAbsent(record.key(), (key) -> new ArrayList<>())
			.add(sequence(MessageEnvelopeCodec.decode(record.value()))));
		return sequences;
	}

	private static Map<String, List<Integer>> rabbitSequences(List<Message> messages) {
		Map<String, List<Integer>> sequences = new LinkedHashMap<>();
		messages.forEach((message) -> {
			MessageEnvelope envelope = MessageEnvelopeCodec.decode(message.getBody());
			sequences.computeIfAbsent(envelope.correlationId(), (key) -> new ArrayList<>()).add(sequence(envelope));
		});
		return sequences;
	}

	/** The next {@code count} messages of the queue, in queue order, then proof that no more are there. */
	private List<Message> receive(int count) {
		List<Message> received = new ArrayList<>();
		while (received.size() < count) {
			Message message = this.rabbitTemplate.receive(QUEUE, 5_000);
			assertThat(message).as("message " + (received.size() + 1) + " of " + count).isNotNull();
			received.add(message);
		}
		assertThat(this.rabbitTemplate.receive(QUEUE, 300)).as("nothing more in the queue").isNull();
		return received;
	}

	@FunctionalInterface
	interface RowFactory {

		OutgoingMessage row(MessageEnvelope envelope, int sequence);

	}

	/** The real repository, recording each call that marks rows sent. */
	static final class CountingRepository extends OutboxRepository {

		final List<Set<UUID>> markSentCalls = new CopyOnWriteArrayList<>();

		CountingRepository(JdbcClient jdbc) {
			super(jdbc);
		}

		@Override
		void markSent(Collection<UUID> ids) {
			this.markSentCalls.add(Set.copyOf(ids));
			super.markSent(ids);
		}

	}

	/**
	 * The real publisher, watched: each verdict is held back until the relay has sent nothing for a while, so
	 * that the messages it sends without waiting are visibly in flight together, and a row sent while an earlier
	 * row of its order is still in flight is recorded. Rows in {@code refuse} fail their first attempt without
	 * being published.
	 */
	static final class ObservedBroker implements OutboxPublisher {

		static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

		private volatile long lastSend = System.nanoTime();

		final AtomicInteger maxInFlight = new AtomicInteger();

		final List<UUID> sentBehindItsOrder = new CopyOnWriteArrayList<>();

		private final OutboxPublisher publisher;

		private final Set<UUID> refuse;

		private final Set<UUID> refused = ConcurrentHashMap.newKeySet();

		private final AtomicInteger inFlight = new AtomicInteger();

		private final Map<String, AtomicInteger> inFlightByOrder = new ConcurrentHashMap<>();

		ObservedBroker(OutboxPublisher publisher, Set<UUID> refuse) {
			this.publisher = publisher;
			this.refuse = refuse;
		}

		@Override
		public Channel channel() {
			return this.publisher.channel();
		}

		@Override
		public CompletableFuture<Void> send(PendingMessage message) {
			this.lastSend = System.nanoTime();
			AtomicInteger ofOrder = this.inFlightByOrder.computeIfAbsent(message.correlationId(),
					(order) -> new AtomicInteger());
			if (ofOrder.getAndIncrement() > 0) {
				this.sentBehindItsOrder.add(message.id());
			}
			this.maxInFlight.accumulateAndGet(this.inFlight.incrementAndGet(), Math::max);
			CompletableFuture<Void> verdict = (this.refuse.contains(message.id()) && this.refused.add(message.id()))
					? CompletableFuture.failedFuture(new PublishFailedException("injected failure", false))
					: this.publisher.send(message);
			CompletableFuture<Void> heldBack = new CompletableFuture<>();
			verdict.whenComplete((done, failure) -> releaseWhenQuiet(() -> {
				ofOrder.decrementAndGet();
				this.inFlight.decrementAndGet();
				if (failure == null) {
					heldBack.complete(null);
				}
				else {
					heldBack.completeExceptionally(failure);
				}
			}));
			return heldBack;
		}

		private void releaseWhenQuiet(Runnable release) {
			long quietFor = System.nanoTime() - this.lastSend;
			if (quietFor >= QUIET_NANOS) {
				release.run();
				return;
			}
			CompletableFuture.delayedExecutor(QUIET_NANOS - quietFor, TimeUnit.NANOSECONDS)
				.execute(() -> releaseWhenQuiet(release));
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics pipelinedTopics(@Value("pipelined-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(3, topic);
		}

		@Bean
		TopicExchange pipelinedExchange() {
			return new TopicExchange(EXCHANGE, true, false);
		}

		@Bean
		Queue pipelinedObserver() {
			return QueueBuilder.durable(QUEUE).build();
		}

		@Bean
		Binding pipelinedBinding() {
			return BindingBuilder.bind(pipelinedObserver()).to(pipelinedExchange()).with("pipelined.#");
		}

	}

}
