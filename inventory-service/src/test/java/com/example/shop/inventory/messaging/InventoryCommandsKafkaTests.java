package com.example.shop.inventory.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import com.example.shop.inventory.stock.Stock;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.inventory.stock.StockRepository;
import com.example.shop.messaging.testsupport.KafkaSender;
import com.example.shop.messaging.testsupport.KafkaTopicRecorder;
import com.example.shop.inventory.support.TestStock;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.envelope;
import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.header;
import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.keyed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga's commands through the real Kafka broker, as order-service sends them: every command type (a refund's
 * ReturnStock too) is answered on {@code inventory.replies} with the reply of docs/messaging.md; a command delivered twice
 * changes stock once and is answered once; malformed commands go to {@code inventory.commands.DLT} at once
 * and the commands behind them are carried out; 200 concurrent reservations of 50 units reserve exactly 50.
 */
@SpringBootTest
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
@Timeout(180)
class InventoryCommandsKafkaTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("${spring.kafka.consumer.group-id}")
	String consumerGroup;

	@Autowired
	InventoryMessagingProperties topics;

	@Autowired
	JdbcClient jdbc;

	TestStock stock;

	KafkaSender sender;

	KafkaTopicRecorder replies;

	@Autowired
	void testStock(StockLevels levels, StockRepository repository) {
		this.stock = new TestStock(levels, repository, this.jdbc);
	}

	@BeforeEach
	void connect() {
		this.sender = new KafkaSender(this.bootstrapServers);
		this.replies = new KafkaTopicRecorder(this.bootstrapServers, this.topics.repliesTopic());
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		this.sender.close();
		this.replies.close();
	}

	@Test
	void reserveStockIsAnsweredWithStockReservedCarryingEveryEnvelopeField() {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();
		Instant before = Instant.now().minusMillis(1);
		MessageEnvelope command = reserve(order, product, 3);

		send(command);

		ConsumerRecord<String, String> record = this.replies.awaitOne(keyed(order));
		MessageEnvelope reply = envelope(record);
		assertThat(record.key()).as("key = order id").isEqualTo(order.toString());
		assertThat(reply.type()).isEqualTo("StockReserved");
		assertThat(reply.version()).isEqualTo(1);
		assertThat(reply.source()).isEqualTo("inventory-service");
		assertThat(reply.correlationId()).isEqualTo(order.toString());
		assertThat(reply.id()).isNotEqualTo(command.id());
		assertThat(reply.time()).isBetween(before, Instant.now());
		assertThat(reply.payload()).isEqualTo(json(Map.of("orderId", order)));
		assertThat(header(record, EnvelopeHeaders.MESSAGE_ID)).isEqualTo(reply.id().toString());
		assertThat(header(record, EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("StockReserved");
		assertThat(header(record, EnvelopeHeaders.MESSAGE_VERSION)).isEqualTo("1");
		assertThat(header(record, EnvelopeHeaders.MESSAGE_SOURCE)).isEqualTo("inventory-service");
		assertThat(header(record, EnvelopeHeaders.CORRELATION_ID)).isEqualTo(order.toString());
		assertLevels(product, 10, 3);
		assertThat(this.stock.status(order)).isEqualTo("RESERVED");
	}

	@Test
	void aReserveThatCannotBeHeldIsAnsweredWithStockRejectedNamingTheOffendingLines() {
		UUID scarce = this.stock.product(2);
		UUID plenty = this.stock.product(100);
		UUID unknown = UUID.randomUUID();
		UUID shortOrder = UUID.randomUUID();
		UUID unknownOrder = UUID.randomUUID();

		send(command("ReserveStock", shortOrder, Map.of("orderId", shortOrder, "lines",
				List.of(line(plenty, 1), line(scarce, 5)))));
		send(reserve(unknownOrder, unknown, 1));

		MessageEnvelope rejected = envelope(this.replies.awaitOne(keyed(shortOrder)));
		assertThat(rejected.type()).isEqualTo("StockRejected");
		assertThat(rejected.payload()).isEqualTo(json(Map.of("orderId", shortOrder, "reason", "OUT_OF_STOCK", "lines",
				List.of(Map.of("productId", scarce, "requested", 5, "available", 2)))));
		MessageEnvelope unknownProduct = envelope(this.replies.awaitOne(keyed(unknownOrder)));
		assertThat(unknownProduct.type()).isEqualTo("StockRejected");
		assertThat(unknownProduct.payload()).isEqualTo(json(Map.of("orderId", unknownOrder, "reason", "UNKNOWN_PRODUCT",
				"lines", List.of(Map.of("productId", unknown, "requested", 1, "available", 0)))));
		// all or nothing: the line that fitted is not held either
		assertLevels(plenty, 100, 0);
		assertLevels(scarce, 2, 0);
	}

	@Test
	void confirmReservationIsAnsweredWithReservationConfirmedAndTheStockLeaves() {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();

		send(reserve(order, product, 3));
		send(confirm(order));

		List<MessageEnvelope> answers = awaitReplies(order, 2);
		assertThat(answers).extracting(MessageEnvelope::type).containsExactly("StockReserved", "ReservationConfirmed");
		assertThat(answers.get(1).payload()).isEqualTo(json(Map.of("orderId", order)));
		assertLevels(product, 7, 0);
		assertThat(this.stock.status(order)).isEqualTo("CONFIRMED");
	}

	@Test
	void releaseReservationIsAnsweredWithReservationReleasedAndTheStockReturns() {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();

		send(reserve(order, product, 4));
		send(release(order, "PAYMENT_DECLINED"));

		List<MessageEnvelope> answers = awaitReplies(order, 2);
		assertThat(answers).extracting(MessageEnvelope::type).containsExactly("StockReserved", "ReservationReleased");
		assertThat(answers.get(1).payload()).isEqualTo(json(Map.of("orderId", order)));
		assertLevels(product, 10, 0);
		assertThat(this.stock.status(order)).isEqualTo("RELEASED");
	}

	/**
	 * A refund: the confirmed order's stock comes back on hand, answered with StockReturned; the same ReturnStock
	 * twice and re-sent puts it back once and is answered once per message; a return of stock that never left
	 * is refused with status RESERVED. Every change reaches {@code inventory.stock-changes}.
	 */
	@Test
	void returnStockIsAnsweredWithStockReturnedAndTheStockIsBackOnHandOnce() throws Exception {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();
		UUID held = UUID.randomUUID();

		try (KafkaTopicRecorder stockChanges = new KafkaTopicRecorder(this.bootstrapServers,
				this.topics.stockChangesTopic())) {
			send(reserve(order, product, 3));
			send(confirm(order));
			awaitReplies(order, 2);
			assertLevels(product, 7, 0);

			MessageEnvelope returnStock = returnStock(order);
			twiceThenResent(returnStock);
			List<MessageEnvelope> answers = awaitReplies(order, 4);
			assertThat(answers).extracting(MessageEnvelope::type)
				.containsExactly("StockReserved", "ReservationConfirmed", "StockReturned", "StockReturned");
			assertThat(answers.get(2).payload()).isEqualTo(json(Map.of("orderId", order)));
			assertThat(answers.get(3).payload()).as("the same answer to the re-sent copy")
				.isEqualTo(answers.get(2).payload());
			assertLevels(product, 10, 0);

			// another order's key may be another partition: sent once the return is done, to keep the changes' order
			send(reserve(held, product, 2));
			send(returnStock(held));
			assertThat(awaitReplies(held, 2).get(1)).satisfies((reply) -> {
				assertThat(reply.type()).isEqualTo("ReservationRefused");
				assertThat(reply.payload()).isEqualTo(json(Map.of("orderId", held, "status", "RESERVED")));
			});
			assertLevels(product, 10, 2);
			assertThat(this.stock.status(order)).isEqualTo("RETURNED");
			assertThat(this.stock.status(held)).isEqualTo("RESERVED");
			assertThat(this.replies.records(keyed(order))).as("one answer per message, none for a duplicate").hasSize(4);
			assertThat(inboxEntries(returnStock)).isEqualTo(1);

			// created, reserved, confirmed, returned, reserved by the other order: one StockChanged each
			List<ConsumerRecord<String, String>> changes = stockChanges.await(keyed(product), 5, Duration.ofSeconds(30));
			assertThat(changes).extracting((record) -> envelope(record).payload().get("onHand").asInt())
				.containsExactly(10, 10, 7, 10, 10);
			assertThat(changes).extracting((record) -> envelope(record).payload().get("available").asInt())
				.containsExactly(10, 7, 7, 10, 8);
			assertThat(this.stock.stock(product).version()).isEqualTo(4);
		}
	}

	@Test
	void aConfirmOrReleaseTheReservationDoesNotAllowIsAnsweredWithReservationRefused() {
		UUID product = this.stock.product(10);
		UUID neverReserved = UUID.randomUUID();
		UUID released = UUID.randomUUID();
		UUID confirmed = UUID.randomUUID();

		send(confirm(neverReserved));
		send(reserve(released, product, 1));
		send(release(released, "TIMEOUT"));
		send(confirm(released));
		send(reserve(confirmed, product, 2));
		send(confirm(confirmed));
		send(release(confirmed, "CUSTOMER_REQUEST"));

		assertThat(awaitReplies(neverReserved, 1).getFirst()).satisfies((reply) -> {
			assertThat(reply.type()).isEqualTo("ReservationRefused");
			assertThat(reply.payload()).isEqualTo(json(Map.of("orderId", neverReserved, "status", "UNKNOWN_ORDER")));
		});
		assertThat(awaitReplies(released, 3).get(2).payload())
			.isEqualTo(json(Map.of("orderId", released, "status", "RELEASED")));
		assertThat(awaitReplies(confirmed, 3).get(2)).satisfies((reply) -> {
			assertThat(reply.type()).isEqualTo("ReservationRefused");
			assertThat(reply.payload()).isEqualTo(json(Map.of("orderId", confirmed, "status", "CONFIRMED")));
		});
		assertLevels(product, 8, 0);
		assertThat(this.stock.status(neverReserved)).as("a refused confirm stores nothing").isNull();
	}

	/**
	 * The same message twice (same id: a redelivery, or the producer's outbox publishing it again) is carried
	 * out and answered once; the first answer is already committed in the outbox. The same command sent again
	 * as a new message (order-service re-sending a command it had no answer to) is answered again, with the
	 * same answer, and changes nothing either. One order's messages share a partition and are handled in
	 * order, so once the answer to the re-sent copy is there, the duplicate before it has been handled.
	 */
	@Test
	void everyCommandDeliveredTwiceChangesStockOnceAndIsAnsweredOnce() {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();
		UUID releasedOrder = UUID.randomUUID();

		MessageEnvelope reserve = reserve(order, product, 3);
		twiceThenResent(reserve);
		List<MessageEnvelope> reserveAnswers = awaitReplies(order, 2);
		assertLevels(product, 10, 3);

		MessageEnvelope confirm = confirm(order);
		twiceThenResent(confirm);
		List<MessageEnvelope> confirmAnswers = awaitReplies(order, 4).subList(2, 4);
		assertLevels(product, 7, 0);

		send(reserve(releasedOrder, product, 2));
		MessageEnvelope release = release(releasedOrder, "TIMEOUT");
		twiceThenResent(release);
		List<MessageEnvelope> releaseAnswers = awaitReplies(releasedOrder, 3).subList(1, 3);
		assertLevels(product, 7, 0);

		for (List<MessageEnvelope> answers : List.of(reserveAnswers, confirmAnswers, releaseAnswers)) {
			assertThat(answers.get(1).type()).isEqualTo(answers.get(0).type());
			assertThat(answers.get(1).payload()).as("the same answer").isEqualTo(answers.get(0).payload());
		}
		assertThat(reserveAnswers.getFirst().type()).isEqualTo("StockReserved");
		assertThat(confirmAnswers.getFirst().type()).isEqualTo("ReservationConfirmed");
		assertThat(releaseAnswers.getFirst().type()).isEqualTo("ReservationReleased");
		assertThat(this.replies.records(keyed(order))).as("one answer per message, none for a duplicate").hasSize(4);
		assertThat(this.replies.records(keyed(releasedOrder))).hasSize(3);
		assertThat(inboxEntries(reserve, confirm, release)).isEqualTo(3);
		// the stock row changed once per effect: created, reserved, confirmed, reserved, released
		assertThat(this.stock.stock(product).version()).isEqualTo(4);
	}

	@Test
	void malformedCommandsGoToTheDeadLetterTopicAtOnceAndTheCommandsBehindThemAreCarriedOut() throws Exception {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();
		UUID otherOrder = UUID.randomUUID();
		String notJson = "not json " + UUID.randomUUID();
		Map<MessageEnvelope, String> malformed = new LinkedHashMap<>();
		malformed.put(command("ShipStock", order, Map.of("orderId", order)), "is not a message inventory-service.commands reads (ConfirmReservation, ReleaseReservation, ReserveStock, ReturnStock)");
		malformed.put(MessageEnvelope.create("ReserveStock", 2, "order-service", order.toString(),
				Map.of("orderId", order, "lines", List.of(line(product, 1)))), "version 2 is not one this service reads");
		malformed.put(reserve(order, product, 0), "quantity must be between 1 and");
		malformed.put(command("ReserveStock", order, Map.of("orderId", order, "lines", List.of())),
				"a reservation needs at least one line");
		malformed.put(command("ReserveStock", order, Map.of("orderId", order, "lines",
				List.of(Map.of("productId", "not-a-uuid", "quantity", 1)))), "lines.productId is not a UUID");
		malformed.put(command("ConfirmReservation", order, Map.of()), "has no orderId");
		malformed.put(command("ConfirmReservation", order, Map.of("orderId", otherOrder)), "correlationId");

		try (KafkaTopicRecorder deadLetters = new KafkaTopicRecorder(this.bootstrapServers,
				KafkaTopics.deadLetterTopic(this.topics.commandsTopic()))) {
			this.sender.sendRaw(this.topics.commandsTopic(), order.toString(), notJson);
			malformed.keySet().forEach(this::send);
			MessageEnvelope valid = reserve(order, product, 2);
			send(valid);

			MessageEnvelope answer = awaitReplies(order, 1).getFirst();
			assertThat(answer.type()).isEqualTo("StockReserved");
			assertLevels(product, 10, 2);

			ConsumerRecord<String, String> raw = deadLetters.awaitOne((record) -> notJson.equals(record.value()));
			assertDeadLetter(raw, "message is not JSON");
			assertThat(raw.key()).isEqualTo(order.toString());
			for (Map.Entry<MessageEnvelope, String> command : malformed.entrySet()) {
				String id = command.getKey().id().toString();
				ConsumerRecord<String, String> deadLetter = deadLetters
					.awaitOne((record) -> id.equals(header(record, EnvelopeHeaders.MESSAGE_ID)));
				assertDeadLetter(deadLetter, command.getValue());
				assertThat(deadLetter.value()).as("the original record").isEqualTo(MessageEnvelopeCodec.encode(command.getKey()));
			}
			assertThat(this.replies.records(keyed(order))).as("no answer to a malformed command").hasSize(1);
			assertThat(inboxEntries(malformed.keySet().toArray(MessageEnvelope[]::new))).as("nothing stored").isZero();
			assertThat(this.stock.status(otherOrder)).isNull();
		}
	}

	@Test
	void twoHundredConcurrentReservationsOfFiftyUnitsReserveExactlyFiftyAndStockNeverGoesNegative() throws Exception {
		UUID product = this.stock.product(50);
		List<MessageEnvelope> commands = new ArrayList<>();
		Set<String> orders = new HashSet<>();
		for (int i = 0; i < 200; i++) {
			UUID order = UUID.randomUUID();
			commands.add(reserve(order, product, 1));
			orders.add(order.toString());
		}
		AtomicBoolean sending = new AtomicBoolean(true);
		AtomicInteger lowestAvailable = new AtomicInteger(Integer.MAX_VALUE);
		ExecutorService threads = Executors.newFixedThreadPool(9);
		try (KafkaTopicRecorder stockChanges = new KafkaTopicRecorder(this.bootstrapServers,
				this.topics.stockChangesTopic())) {
			Future<?> watcher = threads.submit(() -> {
				while (sending.get()) {
					Stock now = this.stock.stock(product);
					lowestAvailable.accumulateAndGet(now.available(), Math::min);
					Thread.sleep(5);
				}
				return null;
			});
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> senders = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				List<MessageEnvelope> share = commands.subList(t * 25, (t + 1) * 25);
				senders.add(threads.submit(() -> {
					start.await();
					share.forEach(this::send);
					return null;
				}));
			}
			start.countDown();
			for (Future<?> sent : senders) {
				sent.get(60, TimeUnit.SECONDS);
			}

			List<MessageEnvelope> answers = this.replies
				.await((record) -> orders.contains(record.key()), 200, Duration.ofSeconds(90))
				.stream()
				.map(KafkaTopicRecorder::envelope)
				.toList();
			sending.set(false);
			watcher.get(10, TimeUnit.SECONDS);

			assertThat(answers).hasSize(200);
			assertThat(answers).extracting(MessageEnvelope::correlationId).doesNotHaveDuplicates();
			assertThat(answers).filteredOn((reply) -> reply.type().equals("StockReserved")).hasSize(50);
			List<MessageEnvelope> rejected = answers.stream().filter((reply) -> reply.type().equals("StockRejected")).toList();
			assertThat(rejected).hasSize(150).allSatisfy((reply) -> assertThat(reply.payload())
				.isEqualTo(json(Map.of("orderId", reply.correlationId(), "reason", "OUT_OF_STOCK", "lines",
						List.of(Map.of("productId", product, "requested", 1, "available", 0))))));
			assertLevels(product, 50, 50);
			assertThat(lowestAvailable.get()).as("available, polled throughout").isGreaterThanOrEqualTo(0);
			assertThat(this.stock.reservationsWithStatus("RESERVED", product)).isEqualTo(50);
			assertThat(this.stock.reservationsWithStatus("REJECTED", product)).isEqualTo(150);

			// a StockChanged for each change: its creation and the 50 reservations, in version order
			List<ConsumerRecord<String, String>> changes = stockChanges.await(keyed(product), 51, Duration.ofSeconds(30));
			assertThat(changes).hasSize(51);
			assertThat(changes).extracting((record) -> envelope(record).payload().get("version").asLong())
				.containsExactlyElementsOf(LongStream.rangeClosed(0, 50).boxed().toList());
			assertThat(envelope(changes.getLast()).payload().get("available").asInt()).isZero();
		}
		finally {
			sending.set(false);
			threads.shutdownNow();
			assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	private void assertDeadLetter(ConsumerRecord<String, String> deadLetter, String why) {
		assertThat(header(deadLetter, "kafka_dlt-exception-fqcn") + " " + header(deadLetter, "kafka_dlt-exception-cause-fqcn"))
			.contains("MalformedMessageException");
		assertThat(header(deadLetter, "kafka_dlt-exception-message")).contains(why);
		assertThat(header(deadLetter, "kafka_dlt-original-topic")).isEqualTo(this.topics.commandsTopic());
		assertThat(header(deadLetter, "kafka_dlt-original-partition")).isNotBlank();
		assertThat(header(deadLetter, "kafka_dlt-original-offset")).isNotBlank();
		assertThat(header(deadLetter, "kafka_dlt-original-consumer-group")).isEqualTo(this.consumerGroup);
	}

	/** Sends it, the same message again, then the same command as a new message. */
	private void twiceThenResent(MessageEnvelope command) {
		send(command);
		send(command);
		send(new MessageEnvelope(UUID.randomUUID(), command.type(), command.version(), command.source(), Instant.now(),
				command.correlationId(), null, null, command.payload()));
	}

	/** Waits for {@code count} replies to the order and returns them in the order they were published. */
	private List<MessageEnvelope> awaitReplies(UUID order, int count) {
		Predicate<ConsumerRecord<String, String>> toOrder = keyed(order);
		return this.replies.await(toOrder, count, Duration.ofSeconds(30))
			.stream()
			.map(KafkaTopicRecorder::envelope)
			.toList();
	}

	private long inboxEntries(MessageEnvelope... messages) {
		return this.jdbc.sql("SELECT count(*) FROM inbox_message WHERE consumer = :consumer AND message_id IN (:ids)")
			.param("consumer", InventoryCommands.CONSUMER)
			.param("ids", Arrays.stream(messages).map(MessageEnvelope::id).toList())
			.query(Long.class)
			.single();
	}

	private void assertLevels(UUID product, int onHand, int reserved) {
		Stock now = this.stock.stock(product);
		assertThat(now.onHand()).as("on hand").isEqualTo(onHand);
		assertThat(now.reserved()).as("reserved").isEqualTo(reserved);
	}

	private void send(MessageEnvelope command) {
		this.sender.send(this.topics.commandsTopic(), command);
	}

	static MessageEnvelope reserve(UUID order, UUID product, int quantity) {
		return command("ReserveStock", order, Map.of("orderId", order, "lines", List.of(line(product, quantity))));
	}

	static MessageEnvelope confirm(UUID order) {
		return command("ConfirmReservation", order, Map.of("orderId", order));
	}

	static MessageEnvelope release(UUID order, String reason) {
		return command("ReleaseReservation", order, Map.of("orderId", order, "reason", reason));
	}

	static MessageEnvelope returnStock(UUID order) {
		return command("ReturnStock", order, Map.of("orderId", order));
	}

	static MessageEnvelope command(String type, UUID order, Map<String, ?> payload) {
		return MessageEnvelope.create(type, 1, "order-service", order.toString(), payload);
	}

	static Map<String, Object> line(UUID product, int quantity) {
		return Map.of("productId", product, "quantity", quantity);
	}

	static JsonNode json(Object value) {
		return JSON.valueToTree(value);
	}

}
