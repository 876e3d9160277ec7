package com.example.shop.messaging.consumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.example.shop.messaging.KafkaTestConsumer;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageContract;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.messaging.outbox.Destination;
import com.example.shop.messaging.rabbit.RabbitQueueTopology;
import com.example.shop.messaging.rabbit.RetryHeaders;
import com.example.shop.proto.inventory.messages.v1.ConfirmReservation;
import com.example.shop.proto.inventory.messages.v1.ReserveStock;
import com.example.shop.proto.inventory.messages.v1.StockReserved;
import com.example.shop.proto.payment.messages.v1.AuthorizePayment;
import com.example.shop.proto.payment.messages.v1.PaymentAuthorized;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static com.example.shop.messaging.consumer.TestPayloads.authorizePayment;
import static com.example.shop.messaging.consumer.TestPayloads.newOrder;
import static com.example.shop.messaging.consumer.TestPayloads.reserveStock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer pipeline behind real listeners, with the library's error handling on both brokers and the relay
 * publishing the replies: on Kafka a record the table cannot read goes to {@code <topic>.DLT} at once and the
 * record behind it on the same partition is applied and answered on the replies topic; on RabbitMQ such a message
 * parks in {@code Q.dlq} at once, before any handler ran, and the message behind it is applied and answered on the
 * replies exchange with its routing key. A command delivered twice is answered once on either broker, and a handler
 * that fails once is retried by the broker-side error handling and applied once.
 */
// Ingestion off: this test reads <topic>.DLT and Q.dlq itself (KafkaDeadLetterStoreTests and
// RabbitDeadLetterStoreTests cover the dead_letter table).
@SpringBootTest(classes = MessageConsumerBrokerTests.App.class,
		properties = "shop.messaging.dead-letters.ingest-enabled=false")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ })
class MessageConsumerBrokerTests {

	static final String INVENTORY = "test.inventory-commands";

	static final String PAYMENT = "test.payment-commands";

	static final String PAYMENT_QUEUE = "payment.commands";

	static final String PAYMENT_EXCHANGE = "payment.commands";

	static final String AUTHORIZE = "authorize";

	static final String PAYMENT_REPLIES = "payment.replies";

	static final String ORDER_SERVICE = "order-service";

	/** What order-service would consume: payment.replies, routing key order-service. */
	static final String PAYMENT_REPLIES_OBSERVER = "order-service.payment-replies";

	/** What the handlers write as their effects. */
	static final String EFFECT_TABLE = """
			CREATE TABLE IF NOT EXISTS consumer_effect (
			    message_id uuid NOT NULL,
			    order_id   text NOT NULL,
			    effect     text NOT NULL)
			""";

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	InventoryListener inventory;

	@Autowired
	PaymentListener payment;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("inventory.commands-${test.namespace}")
	String commandsTopic;

	@Value("inventory.replies-${test.namespace}")
	String repliesTopic;

	@BeforeEach
	void effectTable() {
		this.jdbc.sql(EFFECT_TABLE).update();
	}

	@Test
	void onKafkaAMalformedRecordGoesToTheDeadLetterTopicAtOnceAndTheRecordBehindItIsApplied() throws Exception {
		String order = newOrder();
		MessageEnvelope unknown = MessageEnvelope.of("order-service", ConfirmReservation.newBuilder().setOrderId(order).build());
		MessageEnvelope reserve = MessageEnvelope.of("order-service", reserveStock(order));

		int malformedPartition = send(unknown);
		int goodPartition = send(reserve);

		assertThat(goodPartition).as("one order, one partition").isEqualTo(malformedPartition);
		await().atMost(Duration.ofSeconds(30)).until(() -> effects(order).size() == 1);
		assertThat(effects(order)).containsExactly("reserved 1 lines");
		ConsumerRecord<String, String> deadLetter = deadLetter(
				(record) -> unknown.id().toString().equals(header(record, EnvelopeHeaders.MESSAGE_ID)));
		assertThat(deadLetter.value()).isEqualTo(MessageEnvelopeCodec.encode(unknown));
		assertThat(deadLetter.key()).isEqualTo(order);
		assertThat(header(deadLetter, "kafka_dlt-exception-fqcn") + " " + header(deadLetter, "kafka_dlt-exception-cause-fqcn"))
			.contains(MalformedMessageException.class.getName());
		assertThat(header(deadLetter, "kafka_dlt-exception-message"))
			.contains("is not a message " + INVENTORY + " reads (ReserveStock)");
		assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(this.commandsTopic);
		assertThat(ByteBuffer.wrap(deadLetter.headers().lastHeader(KafkaHeaders.DLT_ORIGINAL_PARTITION).value()).getInt())
			.isEqualTo(goodPartition);
		assertThat(this.inventory.deliveries(unknown)).as("never retried").isEqualTo(1);
		assertThat(inbox(unknown)).isEmpty();

		ConsumerRecord<String, String> reply = kafkaReplies(order, 1).get(0);
		assertThat(reply.key()).isEqualTo(order);
		MessageEnvelope answer = MessageEnvelopeCodec.decode(reply.value());
		assertThat(answer.type()).isEqualTo("StockReserved");
		assertThat(answer.version()).isEqualTo(1);
		assertThat(answer.source()).isEqualTo("messaging-test");
		assertThat(answer.correlationId()).isEqualTo(order);
		assertThat(MessageContract.of(StockReserved.class).read(answer))
			.isEqualTo(StockReserved.newBuilder().setOrderId(order).build());
		assertThat(header(reply, EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("StockReserved");
	}

	@Test
	void onKafkaARecordDeliveredTwiceIsAppliedAndAnsweredOnce() throws Exception {
		String order = newOrder();
		MessageEnvelope reserve = MessageEnvelope.of("order-service", reserveStock(order));

		send(reserve);
		send(reserve);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.inventory.deliveries(reserve) == 2 && replySent(order));
		assertThat(this.inventory.handled(order)).as("the duplicate never reaches the handler").isEqualTo(1);
		assertThat(effects(order)).hasSize(1);
		assertThat(inbox(reserve)).containsExactly(INVENTORY);
		assertThat(kafkaReplies(order, Integer.MAX_VALUE)).as("one reply on " + this.repliesTopic).hasSize(1);
	}

	@Test
	void onKafkaAHandlerThatFailsOnceIsRetriedByTheErrorHandlerAndAppliedOnce() throws Exception {
		String order = newOrder();
		MessageEnvelope reserve = MessageEnvelope.of("order-service", reserveStock(order));
		this.inventory.failOnce.add(order);

		send(reserve);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.inventory.deliveries(reserve) == 2 && replySent(order));
		assertThat(this.inventory.handled(order)).isEqualTo(2);
		assertThat(effects(order)).as("the failed attempt's effect rolled back").containsExactly("reserved 1 lines");
		assertThat(inbox(reserve)).containsExactly(INVENTORY);
		assertThat(kafkaReplies(order, Integer.MAX_VALUE)).hasSize(1);
	}

	@Test
	void onRabbitMqAMalformedMessageParksInTheDeadLetterQueueAtOnceAndTheMessageBehindItIsApplied() {
		String order = newOrder();
		String other = newOrder();
		MessageEnvelope crossed = MessageEnvelope.of("order-service", other, authorizePayment(order));
		MessageEnvelope authorize = MessageEnvelope.of("order-service", authorizePayment(order));

		publish(crossed);
		publish(authorize);

		Message reply = receiveReply(order);
		assertThat(reply.getMessageProperties().getReceivedExchange()).isEqualTo(PAYMENT_REPLIES);
		assertThat(reply.getMessageProperties().getReceivedRoutingKey()).isEqualTo(ORDER_SERVICE);
		MessageEnvelope answer = MessageEnvelopeCodec.decode(reply.getBody());
		assertThat(answer.type()).isEqualTo("PaymentAuthorized");
		assertThat(answer.version()).isEqualTo(1);
		assertThat(answer.source()).isEqualTo("messaging-test");
		assertThat(answer.correlationId()).isEqualTo(order);
		assertThat(MessageContract.of(PaymentAuthorized.class).read(answer))
			.isEqualTo(PaymentAuthorized.newBuilder().setOrderId(order).setPaymentId("pay-" + order).build());

		Message parked = receiveParked(crossed.id());
		MessageProperties headers = parked.getMessageProperties();
		assertThat(headers.<String>getHeader(RetryHeaders.EXCEPTION_CLASS)).isEqualTo(MalformedMessageException.class.getName());
		assertThat(headers.<String>getHeader(RetryHeaders.EXCEPTION_MESSAGE))
			.isEqualTo(crossed.describe() + " is about orderId " + order + " but its correlationId is '" + other + "'");
		assertThat(headers.<String>getHeader(RetryHeaders.ORIGINAL_QUEUE)).isEqualTo(PAYMENT_QUEUE);
		assertThat(headers.<Integer>getHeader(RetryHeaders.RETRY_COUNT)).as("never retried").isZero();
		assertThat(MessageEnvelopeCodec.decode(parked.getBody())).isEqualTo(crossed);
		assertThat(this.payment.deliveries(crossed)).isEqualTo(1);
		assertThat(this.payment.providerCalls(order)).as("the provider was called for the good message only")
			.containsExactly(false);
		assertThat(inbox(crossed)).isEmpty();
		assertThat(inbox(authorize)).containsExactly(PAYMENT);
	}

	@Test
	void onRabbitMqAMessageDeliveredTwiceCallsTheProviderTwiceOutsideATransactionAndIsAnsweredOnce() {
		String order = newOrder();
		MessageEnvelope authorize = MessageEnvelope.of("order-service", authorizePayment(order));

		publish(authorize);
		publish(authorize);

		await().atMost(Duration.ofSeconds(30)).until(() -> this.payment.deliveries(authorize) == 2 && replySent(order));
		assertThat(this.payment.providerCalls(order)).as("outside any transaction, each time").containsExactly(false, false);
		assertThat(inbox(authorize)).containsExactly(PAYMENT);
		assertThat(this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE correlation_id = :order")
			.param("order", order)
			.query(Long.class)
			.single()).isEqualTo(1);
		receiveReply(order);
		assertThat(this.rabbit.receive(PAYMENT_REPLIES_OBSERVER, 1000)).as("no second reply").isNull();
	}

	/** As the outbox relay publishes: keyed by the order, the envelope's identity in headers. */
	private int send(MessageEnvelope envelope) throws Exception {
		ProducerRecord<String, String> record = new ProducerRecord<>(this.commandsTopic, envelope.correlationId(),
				MessageEnvelopeCodec.encode(envelope));
		EnvelopeHeaders.of(envelope)
			.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
		return this.kafka.send(record).get().getRecordMetadata().partition();
	}

	private void publish(MessageEnvelope envelope) {
		Message message = new Message(MessageEnvelopeCodec.encode(envelope).getBytes(StandardCharsets.UTF_8));
		message.getMessageProperties().setMessageId(envelope.id().toString());
		EnvelopeHeaders.of(envelope).forEach(message.getMessageProperties()::setHeader);
		this.rabbit.send(PAYMENT_EXCHANGE, AUTHORIZE, message);
	}

	private List<String> effects(String order) {
		return this.jdbc.sql("SELECT effect FROM consumer_effect WHERE order_id = :order")
			.param("order", order)
			.query(String.class)
			.list();
	}

	private List<String> inbox(MessageEnvelope message) {
		return this.jdbc.sql("SELECT consumer FROM inbox_message WHERE message_id = :id")
			.param("id", message.id())
			.query(String.class)
			.list();
	}

	/** Whether the order's reply is in the outbox and the broker has acknowledged it. */
	private boolean replySent(String order) {
		return this.jdbc.sql("SELECT count(*) FROM outbox_message WHERE correlation_id = :order AND sent_at IS NOT NULL")
			.param("order", order)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * The order's replies on the replies topic, after polling until {@code count} arrived (or for 2 s more when
	 * counting everything there is).
	 */
	private List<ConsumerRecord<String, String>> kafkaReplies(String order, int count) {
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, this.repliesTopic)) {
			List<ConsumerRecord<String, String>> replies = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds((count == Integer.MAX_VALUE) ? 2 : 30).toNanos();
			while (replies.size() < count && System.nanoTime() < deadline) {
				replies = consumer.pollUntil(Integer.MAX_VALUE, Duration.ofMillis(200))
					.stream()
					.filter((record) -> order.equals(record.key()))
					.toList();
			}
			return replies;
		}
	}

	private ConsumerRecord<String, String> deadLetter(Predicate<ConsumerRecord<String, String>> which) {
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers,
				KafkaTopics.deadLetterTopic(this.commandsTopic))) {
			return await().atMost(Duration.ofSeconds(30))
				.until(() -> consumer.pollUntil(Integer.MAX_VALUE, Duration.ofMillis(200))
					.stream()
					.filter(which)
					.findFirst()
					.orElse(null), (found) -> found != null);
		}
	}

	/** Takes replies from the observer queue until the order's arrives; others are dropped. */
	private Message receiveReply(String order) {
		return await().atMost(Duration.ofSeconds(30)).until(() -> {
			Message message = this.rabbit.receive(PAYMENT_REPLIES_OBSERVER, 500);
			return (message != null
					&& order.equals(message.getMessageProperties().getHeader(EnvelopeHeaders.CORRELATION_ID))) ? message
							: null;
		}, (message) -> message != null);
	}

	/** Takes messages from the parking queue until the one with {@code id} arrives. */
	private Message receiveParked(UUID id) {
		return await().atMost(Duration.ofSeconds(20)).until(() -> {
			Message message = this.rabbit.receive(PAYMENT_QUEUE + ".dlq", 500);
			return (message != null && id.toString().equals(message.getMessageProperties().getMessageId())) ? message
					: null;
		}, (message) -> message != null);
	}

	private static String header(ConsumerRecord<String, String> record, String name) {
		return TestMessages.header(record.headers(), name);
	}


	/**
	 * inventory-service's commands as it would consume them: a Kafka listener that only hands the record to its
	 * consumer. The ReserveStock handler writes its effect, then fails once for the orders in {@link #failOnce}.
	 */
	static class InventoryListener {

		final Set<String> failOnce = ConcurrentHashMap.newKeySet();

		final Map<String, AtomicInteger> handledByOrder = new ConcurrentHashMap<>();

		/** Deliveries handled (applied, skipped or failed), by record value. */
		final Map<String, AtomicInteger> deliveriesByValue = new ConcurrentHashMap<>();

		final MessageConsumer consumer;

		InventoryListener(MessageConsumers consumers, JdbcClient jdbc, String repliesTopic) {
			this.consumer = consumers.named(INVENTORY)
				.repliesTo(Destination.kafka(repliesTopic))
				.answer(ReserveStock.class, (command, envelope) -> {
					this.handledByOrder.computeIfAbsent(command.getOrderId(), (order) -> new AtomicInteger())
						.incrementAndGet();
					jdbc.sql("INSERT INTO consumer_effect (message_id, order_id, effect) VALUES (:id, :order, :effect)")
						.param("id", envelope.id())
						.param("order", command.getOrderId())
						.param("effect", "reserved " + command.getLinesCount() + " lines")
						.update();
					if (this.failOnce.remove(command.getOrderId())) {
						throw new IllegalStateException("deadlock detected");
					}
					return StockReserved.newBuilder().setOrderId(command.getOrderId()).build();
				})
				.build();
		}

		@KafkaListener(topics = "inventory.commands-${test.namespace}")
		void on(String value) {
			try {
				this.consumer.accept(value);
			}
			finally {
				this.deliveriesByValue.computeIfAbsent(value, (v) -> new AtomicInteger()).incrementAndGet();
			}
		}

		int deliveries(MessageEnvelope envelope) {
			AtomicInteger deliveries = this.deliveriesByValue.get(MessageEnvelopeCodec.encode(envelope));
			return (deliveries == null) ? 0 : deliveries.get();
		}

		int handled(String order) {
			AtomicInteger handled = this.handledByOrder.get(order);
			return (handled == null) ? 0 : handled.get();
		}

	}

	/**
	 * payment-service's commands as it would consume them: a RabbitMQ listener that only hands the body to its
	 * consumer, whose AuthorizePayment handler stands for a provider call, made before the transaction.
	 */
	static class PaymentListener {

		/** Per order, for each provider call: whether a transaction was active during it. */
		final Map<String, List<Boolean>> providerCallsByOrder = new ConcurrentHashMap<>();

		/** Deliveries handled (applied, skipped or failed), by message id. */
		final Map<String, AtomicInteger> deliveriesById = new ConcurrentHashMap<>();

		final MessageConsumer consumer;

		PaymentListener(MessageConsumers consumers) {
			this.consumer = consumers.named(PAYMENT)
				.repliesTo(Destination.rabbit(PAYMENT_REPLIES, ORDER_SERVICE))
				.answerBeforeTransaction(AuthorizePayment.class, (command, envelope) -> {
					this.providerCallsByOrder.computeIfAbsent(command.getOrderId(), (order) -> new CopyOnWriteArrayList<>())
						.add(TransactionSynchronizationManager.isActualTransactionActive());
					return PaymentAuthorized.newBuilder()
						.setOrderId(command.getOrderId())
						.setPaymentId("pay-" + command.getOrderId())
						.build();
				})
				.build();
		}

		@RabbitListener(queues = PAYMENT_QUEUE)
		void on(Message message) {
			try {
				this.consumer.accept(message.getBody());
			}
			finally {
				this.deliveriesById.computeIfAbsent(String.valueOf(message.getMessageProperties().getMessageId()),
						(id) -> new AtomicInteger())
					.incrementAndGet();
			}
		}

		int deliveries(MessageEnvelope envelope) {
			AtomicInteger deliveries = this.deliveriesById.get(envelope.id().toString());
			return (deliveries == null) ? 0 : deliveries.get();
		}

		List<Boolean> providerCalls(String order) {
			return this.providerCallsByOrder.getOrDefault(order, List.of());
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics inventoryCommands(@Value("inventory.commands-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(2, topic);
		}

		@Bean
		NewTopic inventoryReplies(@Value("inventory.replies-${test.namespace}") String topic) {
			return TopicBuilder.name(topic).partitions(2).build();
		}

		@Bean
		RabbitQueueTopology paymentCommands() {
			return RabbitQueueTopology.direct(PAYMENT_QUEUE, PAYMENT_EXCHANGE, AUTHORIZE);
		}

		/** Where order-service would read payment's replies: a plain queue on the replies exchange. */
		@Bean
		Declarables paymentRepliesObserver() {
			DirectExchange exchange = new DirectExchange(PAYMENT_REPLIES);
			Queue queue = QueueBuilder.durable(PAYMENT_REPLIES_OBSERVER).build();
			Binding binding = BindingBuilder.bind(queue).to(exchange).with(ORDER_SERVICE);
			return new Declarables(exchange, queue, binding);
		}

		@Bean
		InventoryListener inventoryListener(MessageConsumers consumers, JdbcClient jdbc,
				@Value("inventory.replies-${test.namespace}") String repliesTopic) {
			return new InventoryListener(consumers, jdbc, repliesTopic);
		}

		@Bean
		PaymentListener paymentListener(MessageConsumers consumers) {
			return new PaymentListener(consumers);
		}

	}

}
