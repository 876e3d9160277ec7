package com.example.shop.messaging.consumer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageContract;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.outbox.Destination;
import com.example.shop.proto.inventory.messages.v1.ConfirmReservation;
import com.example.shop.proto.inventory.messages.v1.ReleaseReservation;
import com.example.shop.proto.inventory.messages.v1.ReserveStock;
import com.example.shop.proto.inventory.messages.v1.StockChanged;
import com.example.shop.proto.inventory.messages.v1.StockReserved;
import com.example.shop.proto.notification.messages.v1.SendEmail;
import com.example.shop.proto.order.messages.v1.OrderPlaced;
import com.example.shop.proto.payment.messages.v1.AuthorizePayment;
import com.example.shop.proto.payment.messages.v1.PaymentAuthorized;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static com.example.shop.messaging.consumer.TestPayloads.authorizePayment;
import static com.example.shop.messaging.consumer.TestPayloads.newOrder;
import static com.example.shop.messaging.consumer.TestPayloads.reserveStock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The consumer pipeline against real PostgreSQL, called the way a listener calls it: a message's effects, its
 * inbox record and its reply commit in one transaction or not at all, and a redelivery changes nothing; a handler
 * that must not hold a connection runs outside any transaction and its reply is still recorded once; a message the
 * table cannot read is malformed before anything is stored; ignored types leave no trace; replies are envelopes of
 * their proto type from this application, to the destination the table names. The builder refuses tables that
 * could not work.
 */
@SpringBootTest(classes = MessageConsumerTests.App.class, properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure(Infrastructure.POSTGRES)
class MessageConsumerTests {

	static final String INVENTORY = "test.inventory-commands";

	static final String PAYMENT = "test.payment-commands";

	static final String EMAILS = "test.order-emails";

	static final Destination INVENTORY_REPLIES = Destination.kafka("inventory.replies");

	static final Destination PAYMENT_REPLIES = Destination.rabbit("payment.replies", "order-service");

	static final Destination EMAIL_COMMANDS = Destination.rabbit("notification.email", "email");

	@Autowired
	MessageConsumers consumers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Value("${spring.application.name}")
	String application;

	/** While set, the ReserveStock handler throws after it wrote its effect. */
	final AtomicBoolean stockLocked = new AtomicBoolean();

	final AtomicInteger reserveCalls = new AtomicInteger();

	/** For each call of the AuthorizePayment handler: whether a transaction was active in it. */
	final List<Boolean> authorizeCalls = new CopyOnWriteArrayList<>();

	/** inventory-service's commands, answered on Kafka. */
	MessageConsumer inventory;

	/** payment-service's commands, answered on RabbitMQ after a provider call made outside any transaction. */
	MessageConsumer payment;

	@BeforeEach
	void consumers() {
		this.jdbc.sql("""
				CREATE TABLE IF NOT EXISTS consumer_effect (
				    message_id uuid NOT NULL,
				    order_id   text NOT NULL,
				    effect     text NOT NULL)
				""").update();
		this.inventory = this.consumers.named(INVENTORY)
			.repliesTo(INVENTORY_REPLIES)
			.answer(ReserveStock.class, (command, envelope) -> {
				this.reserveCalls.incrementAndGet();
				effect(envelope, command.getOrderId(), "reserved " + command.getLinesCount() + " lines");
				if (this.stockLocked.get()) {
					throw new IllegalStateException("stock row locked");
				}
				return StockReserved.newBuilder().setOrderId(command.getOrderId()).build();
			})
			.on(ReleaseReservation.class,
					(command, envelope) -> effect(envelope, command.getOrderId(), "released " + command.getReason()))
			.ignore(StockChanged.class)
			.build();
		this.payment = this.consumers.named(PAYMENT)
			.repliesTo(PAYMENT_REPLIES)
			.answerBeforeTransaction(AuthorizePayment.class, (command, envelope) -> {
				this.authorizeCalls.add(TransactionSynchronizationManager.isActualTransactionActive());
				return PaymentAuthorized.newBuilder()
					.setOrderId(command.getOrderId())
					.setPaymentId("pay-" + command.getOrderId())
					.build();
			})
			.build();
	}

	@Test
	void aMessageIsAppliedOnceItsEffectsInboxRecordAndReplyCommittingTogether() {
		String order = newOrder();
		MessageEnvelope command = MessageEnvelope.of("order-service", reserveStock(order));
		String body = MessageEnvelopeCodec.encode(command);
		double duplicatesBefore = duplicates(INVENTORY);

		this.inventory.accept(body);

		assertThat(effects(order)).containsExactly("reserved 1 lines");
		assertThat(inbox(command)).containsExactly(INVENTORY + " ReserveStock");
		assertThat(replies(order)).extracting(OutboxRow::type).containsExactly("StockReserved");
		List<String> writers = writingTransactions(command, order);
		assertThat(writers).as("effect, inbox record and reply written by one transaction")
			.hasSize(3)
			.containsOnly(writers.get(0));

		this.inventory.accept(body);

		assertThat(this.reserveCalls).as("the duplicate never reaches the handler").hasValue(1);
		assertThat(effects(order)).hasSize(1);
		assertThat(inbox(command)).hasSize(1);
		assertThat(replies(order)).as("no second reply").hasSize(1);
		assertThat(writingTransactions(command, order)).isEqualTo(writers);
		assertThat(duplicates(INVENTORY)).isEqualTo(duplicatesBefore + 1);
	}

	@Test
	void anEffectWithoutAnAnswerCommitsWithItsInboxRecordAndSendsNothing() {
		String order = newOrder();
		MessageEnvelope release = MessageEnvelope.of("order-service",
				ReleaseReservation.newBuilder().setOrderId(order).setReason("TIMEOUT").build());

		this.inventory.accept(MessageEnvelopeCodec.encode(release));
		this.inventory.accept(MessageEnvelopeCodec.encode(release));

		assertThat(effects(order)).containsExactly("released TIMEOUT");
		assertThat(inbox(release)).containsExactly(INVENTORY + " ReleaseReservation");
		assertThat(replies(order)).isEmpty();
	}

	@Test
	void aHandlerThatFailsAfterWritingItsEffectLeavesNothingAndTheNextDeliveryAppliesItOnce() {
		String order = newOrder();
		MessageEnvelope command = MessageEnvelope.of("order-service", reserveStock(order));
		String body = MessageEnvelopeCodec.encode(command);
		this.stockLocked.set(true);

		assertThatThrownBy(() -> this.inventory.accept(body)).isInstanceOf(IllegalStateException.class)
			.hasMessage("stock row locked");

		assertThat(this.reserveCalls).as("the handler ran and wrote its effect before failing").hasValue(1);
		assertThat(effects(order)).isEmpty();
		assertThat(inbox(command)).isEmpty();
		assertThat(replies(order)).isEmpty();

		this.stockLocked.set(false);
		this.inventory.accept(body);
		this.inventory.accept(body);

		assertThat(this.reserveCalls).hasValue(2);
		assertThat(effects(order)).containsExactly("reserved 1 lines");
		assertThat(inbox(command)).containsExactly(INVENTORY + " ReserveStock");
		assertThat(replies(order)).extracting(OutboxRow::type).containsExactly("StockReserved");
	}

	@Test
	void anAnswerBeforeTheTransactionRunsOutsideOneAndItsReplyIsRecordedOnceInOne() {
		String order = newOrder();
		MessageEnvelope command = MessageEnvelope.of("order-service", authorizePayment(order));
		byte[] body = MessageEnvelopeCodec.encode(command).getBytes(StandardCharsets.UTF_8);
		double duplicatesBefore = duplicates(PAYMENT);

		this.payment.accept(body);
		this.payment.accept(body);

		assertThat(this.authorizeCalls).as("run for each delivery, never in a transaction").containsExactly(false, false);
		assertThat(inbox(command)).containsExactly(PAYMENT + " AuthorizePayment");
		assertThat(replies(order)).extracting(OutboxRow::type).containsExactly("PaymentAuthorized");
		String inboxWriter = this.jdbc.sql("SELECT xmin::text FROM inbox_message WHERE message_id = :id")
			.param("id", command.id())
			.query(String.class)
			.single();
		String replyWriter = this.jdbc.sql("SELECT xmin::text FROM outbox_message WHERE correlation_id = :order")
			.param("order", order)
			.query(String.class)
			.single();
		assertThat(replyWriter).as("the reply committed with the inbox record").isEqualTo(inboxWriter);
		assertThat(duplicates(PAYMENT)).isEqualTo(duplicatesBefore + 1);
	}

	@Test
	void aTypeTheTableLeavesOutIsMalformedAndTheMessageNamesTheTypesTheConsumerReads() {
		String order = newOrder();
		MessageEnvelope confirm = MessageEnvelope.of("order-service", ConfirmReservation.newBuilder().setOrderId(order).build());
		Stored before = stored();

		assertThatThrownBy(() -> this.inventory.accept(MessageEnvelopeCodec.encode(confirm)))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessage("ConfirmReservation v1 " + confirm.id() + " is not a message " + INVENTORY
					+ " reads (ReleaseReservation, ReserveStock, StockChanged)");

		assertNothingStored(before);
	}

	@Test
	void aVersionTheContractDoesNotHaveIsMalformed() {
		MessageEnvelope v1 = MessageEnvelope.of("order-service", reserveStock(newOrder()));
		MessageEnvelope v2 = new MessageEnvelope(v1.id(), v1.type(), 2, v1.source(), v1.time(), v1.correlationId(), null,
				null, v1.payload());
		Stored before = stored();

		assertThatThrownBy(() -> this.inventory.accept(MessageEnvelopeCodec.encode(v2)))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessage(v2.describe() + ": version 2 is not one this service reads (1)");

		assertNothingStored(before);
	}

	@Test
	void aPayloadAboutAnotherOrderThanItsEnvelopeIsMalformed() {
		String order = newOrder();
		String other = newOrder();
		MessageEnvelope crossed = MessageEnvelope.of("order-service", other, reserveStock(order));
		Stored before = stored();

		assertThatThrownBy(() -> this.inventory.accept(MessageEnvelopeCodec.encode(crossed)))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessage(crossed.describe() + " is about orderId " + order + " but its correlationId is '" + other + "'");

		assertNothingStored(before);
	}

	@Test
	void aPayloadThatDoesNotParseAsItsTypeIsMalformed() {
		String order = newOrder();
		String body = MessageEnvelopeCodec.encode(MessageEnvelope.of("order-service", reserveStock(order)))
			.replace("\"quantity\":2", "\"quantity\":\"many\"");
		assertThat(body).contains("\"quantity\":\"many\"");
		MessageEnvelope unparsable = MessageEnvelopeCodec.decode(body);
		Stored before = stored();

		assertThatThrownBy(() -> this.inventory.accept(body))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessageStartingWith(unparsable.describe() + " payload is not a valid ReserveStock");

		assertNothingStored(before);
	}

	@Test
	void aBodyThatIsNotJsonIsMalformed() {
		Stored before = stored();

		assertThatThrownBy(() -> this.inventory.accept("{\"id\": 42")).isInstanceOf(MalformedMessageException.class)
			.hasMessageStartingWith("message is not JSON");
		assertThatThrownBy(() -> this.payment.accept("not json".getBytes(StandardCharsets.UTF_8)))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessageStartingWith("message is not JSON");

		assertNothingStored(before);
	}

	@Test
	void anIgnoredTypeIsDroppedWithoutAnInboxRecordAnEffectOrAnException() {
		StockChanged change = StockChanged.newBuilder()
			.setProductId("p-" + UUID.randomUUID())
			.setOnHand(5)
			.setReserved(2)
			.setAvailable(3)
			.setVersion(7)
			.build();
		MessageEnvelope envelope = MessageEnvelope.of("inventory-service", change);
		Stored before = stored();

		assertThatCode(() -> this.inventory.accept(MessageEnvelopeCodec.encode(envelope))).doesNotThrowAnyException();

		assertThat(inbox(envelope)).isEmpty();
		assertNothingStored(before);
	}

	@Test
	void anIgnoredTypeIsStillCheckedAgainstItsContract() {
		StockChanged change = StockChanged.newBuilder().setProductId("p-1").setAvailable(3).build();
		MessageEnvelope crossed = MessageEnvelope.of("inventory-service", "p-2", change);
		Stored before = stored();

		assertThatThrownBy(() -> this.inventory.accept(MessageEnvelopeCodec.encode(crossed)))
			.isInstanceOf(MalformedMessageException.class)
			.hasMessageContaining("is about productId p-1 but its correlationId is 'p-2'");

		assertNothingStored(before);
	}

	@Test
	void aReplyToKafkaIsAnEnvelopeOfItsProtoTypeFromThisApplicationKeyedByTheOrder() {
		String order = newOrder();
		MessageEnvelope command = MessageEnvelope.of("order-service", reserveStock(order));

		this.inventory.accept(MessageEnvelopeCodec.encode(command));

		OutboxRow row = reply(order);
		assertThat(row.channel()).isEqualTo("kafka");
		assertThat(row.destination()).isEqualTo("inventory.replies");
		assertThat(row.key()).isEqualTo(order);
		assertThat(row.correlationId()).isEqualTo(order);
		assertThat(row.type()).isEqualTo("StockReserved");
		MessageEnvelope reply = MessageEnvelopeCodec.decode(row.envelope());
		assertThat(reply.id()).isEqualTo(row.id()).isNotEqualTo(command.id());
		assertThat(reply.type()).isEqualTo("StockReserved");
		assertThat(reply.version()).isEqualTo(1);
		assertThat(reply.source()).isEqualTo(this.application).isEqualTo("messaging-test");
		assertThat(reply.correlationId()).isEqualTo(order);
		assertThat(MessageContract.of(StockReserved.class).read(reply))
			.isEqualTo(StockReserved.newBuilder().setOrderId(order).build());
	}

	@Test
	void aReplyToRabbitMqGoesToTheConfiguredExchangeWithItsRoutingKey() {
		String order = newOrder();
		MessageEnvelope command = MessageEnvelope.of("order-service", authorizePayment(order));

		this.payment.accept(MessageEnvelopeCodec.encode(command));

		OutboxRow row = reply(order);
		assertThat(row.channel()).isEqualTo("rabbit");
		assertThat(row.destination()).isEqualTo("payment.replies");
		assertThat(row.key()).isEqualTo("order-service");
		assertThat(row.correlationId()).isEqualTo(order);
		MessageEnvelope reply = MessageEnvelopeCodec.decode(row.envelope());
		assertThat(reply.id()).isEqualTo(row.id());
		assertThat(reply.type()).isEqualTo("PaymentAuthorized");
		assertThat(reply.version()).isEqualTo(1);
		assertThat(reply.source()).isEqualTo("messaging-test");
		assertThat(reply.correlationId()).isEqualTo(order);
		assertThat(MessageContract.of(PaymentAuthorized.class).read(reply))
			.isEqualTo(PaymentAuthorized.newBuilder().setOrderId(order).setPaymentId("pay-" + order).build());
	}

	@Test
	void aReplyWithoutACorrelationFieldIsCorrelatedByTheMessageItAnswers() {
		MessageConsumer emails = this.consumers.named(EMAILS)
			.repliesTo(EMAIL_COMMANDS)
			.answer(OrderPlaced.class,
					(event, envelope) -> SendEmail.newBuilder().setNotificationId("n-" + event.getOrderId()).build())
			.build();
		String order = newOrder();
		MessageEnvelope placed = MessageEnvelope.of("order-service",
				OrderPlaced.newBuilder().setOrderId(order).setStatus("PENDING").setTotal("25.98").setCurrency("EUR").build());

		emails.accept(MessageEnvelopeCodec.encode(placed));

		OutboxRow row = reply(order);
		assertThat(row.channel()).isEqualTo("rabbit");
		assertThat(row.destination()).isEqualTo("notification.email");
		assertThat(row.key()).isEqualTo("email");
		MessageEnvelope reply = MessageEnvelopeCodec.decode(row.envelope());
		assertThat(reply.type()).isEqualTo("SendEmail");
		assertThat(reply.correlationId()).isEqualTo(order);
		assertThat(MessageContract.of(SendEmail.class).read(reply).getNotificationId()).isEqualTo("n-" + order);
	}

	@Test
	void aTableThatAnswersWithoutAReplyDestinationIsRefused() {
		assertThatThrownBy(() -> this.consumers.named("test.no-replies")
			.answer(ReserveStock.class, (command, envelope) -> null)
			.build()).isInstanceOf(IllegalStateException.class)
			.hasMessage("test.no-replies answers messages but has no repliesTo destination");
		assertThatThrownBy(() -> this.consumers.named("test.no-replies")
			.answerBeforeTransaction(AuthorizePayment.class, (command, envelope) -> null)
			.build()).isInstanceOf(IllegalStateException.class)
			.hasMessage("test.no-replies answers messages but has no repliesTo destination");
		assertThatCode(() -> this.consumers.named("test.effects-only")
			.on(ReleaseReservation.class, (command, envelope) -> {
			})
			.build()).as("a table that never answers needs no destination").doesNotThrowAnyException();
	}

	@Test
	void aTableWithTwoRowsForOneTypeIsRefused() {
		MessageConsumer.Builder builder = this.consumers.named("test.twice")
			.repliesTo(INVENTORY_REPLIES)
			.answer(ReserveStock.class, (command, envelope) -> null);

		assertThatThrownBy(() -> builder.on(ReserveStock.class, (command, envelope) -> {
		})).isInstanceOf(IllegalStateException.class).hasMessage("test.twice has two rows for ReserveStock");
		assertThatThrownBy(() -> builder.ignore(StockChanged.class, StockChanged.class))
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("test.twice has two rows for StockChanged");
	}

	@Test
	void anEmptyTableIsRefused() {
		assertThatThrownBy(() -> this.consumers.named("test.empty").repliesTo(INVENTORY_REPLIES).build())
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("test.empty has no rows");
		assertThatThrownBy(() -> this.consumers.named("test.empty").ignore().build())
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("test.empty has no rows");
	}

	private void effect(MessageEnvelope envelope, String order, String effect) {
		this.jdbc.sql("INSERT INTO consumer_effect (message_id, order_id, effect) VALUES (:id, :order, :effect)")
			.param("id", envelope.id())
			.param("order", order)
			.param("effect", effect)
			.update();
	}

	private List<String> effects(String order) {
		return this.jdbc.sql("SELECT effect FROM consumer_effect WHERE order_id = :order")
			.param("order", order)
			.query(String.class)
			.list();
	}

	/** The inbox records of one message, as "consumer type". */
	private List<String> inbox(MessageEnvelope message) {
		return this.jdbc.sql("SELECT consumer || ' ' || message_type FROM inbox_message WHERE message_id = :id")
			.param("id", message.id())
			.query(String.class)
			.list();
	}

	private List<OutboxRow> replies(String order) {
		return this.jdbc.sql("""
				SELECT id, channel, destination, message_key AS key, correlation_id, message_type AS type, envelope
				FROM outbox_message WHERE correlation_id = :order ORDER BY seq
				""").param("order", order).query(OutboxRow.class).list();
	}

	private OutboxRow reply(String order) {
		List<OutboxRow> replies = replies(order);
		assertThat(replies).hasSize(1);
		return replies.get(0);
	}

	/** The transactions (Postgres xmin) that wrote the message's effect, its inbox record and its reply. */
	private List<String> writingTransactions(MessageEnvelope message, String order) {
		return this.jdbc.sql("""
				SELECT xmin::text FROM consumer_effect WHERE message_id = :id
				UNION ALL SELECT xmin::text FROM inbox_message WHERE message_id = :id
				UNION ALL SELECT xmin::text FROM outbox_message WHERE correlation_id = :order
				""").param("id", message.id()).param("order", order).query(String.class).list();
	}

	private Stored stored() {
		return this.jdbc.sql("""
				SELECT (SELECT count(*) FROM consumer_effect) AS effects,
				       (SELECT count(*) FROM inbox_message) AS inbox_records,
				       (SELECT count(*) FROM outbox_message) AS outbox_rows
				""").query(Stored.class).single();
	}

	private void assertNothingStored(Stored before) {
		assertThat(stored()).as("no effect, inbox record or reply").isEqualTo(before);
		assertThat(this.reserveCalls).as("no handler ran").hasValue(0);
		assertThat(this.authorizeCalls).as("no handler ran").isEmpty();
	}

	private double duplicates(String consumer) {
		Counter counter = this.meters.find("inbox.duplicates").tag("consumer", consumer).counter();
		return (counter == null) ? 0 : counter.count();
	}


	record Stored(long effects, long inboxRecords, long outboxRows) {
	}

	record OutboxRow(UUID id, String channel, String destination, String key, String correlationId, String type,
			String envelope) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
