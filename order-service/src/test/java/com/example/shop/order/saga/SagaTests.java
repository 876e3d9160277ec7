package com.example.shop.order.saga;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.testsupport.KafkaTopicRecorder;
import com.example.shop.order.support.Callers;
import com.example.shop.order.support.GrpcPeers;
import com.example.shop.order.support.InventoryStandIn;
import com.example.shop.order.support.OrderRequests;
import com.example.shop.order.support.OrderServiceTest;
import com.example.shop.order.support.PaymentStandIn;
import com.example.shop.order.support.PaymentStandIn.Received;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static com.example.shop.order.support.TestCatalogServer.BOOK;
import static com.example.shop.order.support.TestCatalogServer.MUG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order saga end to end through the real brokers: the test plays inventory-service (Kafka) and
 * payment-service (RabbitMQ), reading the commands order-service publishes and answering them.
 */
@OrderServiceTest
class SagaTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GrpcPeers.register(registry);
		// Short steps so timeouts fire within a test.
		registry.add("shop.orders.saga.stock-timeout", () -> "2s");
		registry.add("shop.orders.saga.payment-timeout", () -> "2s");
		registry.add("shop.orders.saga.retry-initial-delay", () -> "2s");
		registry.add("shop.orders.saga.retry-multiplier", () -> "1.0");
		registry.add("shop.orders.saga.max-attempts", () -> "2");
		registry.add("shop.orders.saga.sweep-interval", () -> "200ms");
	}

	static InventoryStandIn inventory;

	static KafkaTopicRecorder events;

	static KafkaTopicRecorder inventoryDeadLetters;

	PaymentStandIn payment;

	/** Who places this test's order: their token's subject. */
	String customer;

	@Autowired
	RestTestClient client;

	@Autowired
	ConnectionFactory rabbit;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JsonMapper json;

	@BeforeAll
	static void standIns(@Value("${spring.kafka.bootstrap-servers}") String kafka,
			@Value("${shop.orders.messaging.inventory-commands-topic}") String commands,
			@Value("${shop.orders.messaging.inventory-replies-topic}") String replies,
			@Value("${shop.orders.messaging.order-events-topic}") String orderEvents) {
		inventory = new InventoryStandIn(kafka, commands, replies);
		events = new KafkaTopicRecorder(kafka, orderEvents);
		inventoryDeadLetters = new KafkaTopicRecorder(kafka, replies + ".DLT");
	}

	@AfterAll
	static void closeStandIns() throws InterruptedException {
		inventory.close();
		events.close();
		inventoryDeadLetters.close();
	}

	@BeforeEach
	void setUp() {
		GrpcPeers.reset();
		this.payment = new PaymentStandIn(this.rabbit);
		this.customer = OrderRequests.newCustomer();
	}

	@Test
	void happyPathReservesAuthorizesConfirmsAndCaptures() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 2, MUG, 1));

		MessageEnvelope reserve = inventory.awaitCommand(id, "ReserveStock");
		assertThat(reserve.source()).isEqualTo("order-service");
		assertThat(reserve.version()).isEqualTo(1);
		assertThat(reserve.correlationId()).isEqualTo(id.toString());
		assertThat(reserve.payload().get("orderId").asString()).isEqualTo(id.toString());
		assertThat(reserve.payload().get("lines")).hasSize(2);
		assertThat(reserve.payload().get("lines").get(0).get("productId").asString()).isEqualTo(BOOK.toString());
		assertThat(reserve.payload().get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
		ConsumerRecord<String, String> record = inventory.commands().recordOf(reserve);
		assertThat(record.key()).isEqualTo(id.toString());
		assertThat(new String(record.headers().lastHeader("message-id").value())).isEqualTo(reserve.id().toString());
		assertThat(new String(record.headers().lastHeader("message-type").value())).isEqualTo("ReserveStock");

		inventory.reply(id, "StockReserved");
		Received authorize = this.payment.awaitCommand(id, "AuthorizePayment");
		assertThat(authorize.routingKey()).isEqualTo("authorize");
		assertThat(authorize.properties().getMessageId()).isEqualTo(authorize.envelope().id().toString());
		assertThat(authorize.envelope().payload().get("amount").stringValue()).as("a decimal string, never a float").isEqualTo("93.05");
		assertThat(authorize.envelope().payload().get("currency").asString()).isEqualTo("EUR");
		assertThat(authorize.envelope().payload().get("token").asString()).isEqualTo("tok_ok");
		// Whose payment it is, for payment-service to enforce.
		assertThat(authorize.envelope().payload().get("customerId").asString()).isEqualTo(this.customer);
		assertStatus(id, "AWAITING_PAYMENT");

		this.payment.reply(id, "PaymentAuthorized", Map.of("orderId", id, "paymentId", UUID.randomUUID()));
		inventory.awaitCommand(id, "ConfirmReservation");
		assertThat(this.payment.awaitCommand(id, "CapturePayment").routingKey()).isEqualTo("capture");
		assertStatus(id, "CONFIRMING");

		inventory.reply(id, "ReservationConfirmed");
		this.payment.reply(id, "PaymentCaptured");
		assertStatus(id, "CONFIRMED");

		MessageEnvelope confirmed = events.await(id, "OrderConfirmed");
		// Every status change is an event, in order: what a live status view (notification-service) shows.
		assertThat(events.typesOf(id)).containsExactly("OrderPlaced", "OrderStatusChanged", "OrderStatusChanged",
				"OrderConfirmed");
		assertThat(events.of(id)).extracting((event) -> event.payload().get("status").asString())
			.containsExactly("PENDING", "AWAITING_PAYMENT", "CONFIRMING", "CONFIRMED");
		assertThat(confirmed.payload().get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(confirmed.payload().get("total").stringValue()).isEqualTo("93.05");
		assertThat(confirmed.payload().get("customerEmail").asString()).isEqualTo("ada@example.com");
		assertThat(confirmed.payload().get("lines")).hasSize(2);
		assertThat(this.meters.counter("orders.confirmed").count()).isPositive();
		assertThat(this.meters.find("saga.duration").tag("outcome", "confirmed").timer().count()).isPositive();
		assertThat(this.payment.typesOf(id)).containsExactly("AuthorizePayment", "CapturePayment");
	}

	@Test
	void outOfStockCancelsWithoutAskingForPayment() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 1));
		inventory.awaitCommand(id, "ReserveStock");
		inventory.reply(id, "StockRejected", Map.of("orderId", id, "reason", "OUT_OF_STOCK", "lines",
				List.of(Map.of("productId", BOOK, "requested", 1, "available", 0))));
		assertCancelled(id, "OUT_OF_STOCK");
		MessageEnvelope cancelled = events.await(id, "OrderCancelled");
		assertThat(cancelled.payload().get("reason").asString()).isEqualTo("OUT_OF_STOCK");
		assertThat(cancelled.payload().get("status").asString()).isEqualTo("CANCELLED");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.counter("orders.cancelled", "reason", "OUT_OF_STOCK").count() >= 1);
		assertThat(this.payment.commandsOf(id)).isEmpty();
	}

	@Test
	void aDeclinedPaymentReleasesTheStockAndCancels() {
		UUID id = place(OrderRequests.order(this.customer, "tok_declined", BOOK, 1));
		inventory.awaitCommand(id, "ReserveStock");
		inventory.reply(id, "StockReserved");
		this.payment.awaitCommand(id, "AuthorizePayment");
		this.payment.reply(id, "PaymentDeclined", Map.of("orderId", id, "reason", "card_declined"));

		MessageEnvelope release = inventory.awaitCommand(id, "ReleaseReservation");
		assertThat(release.payload().get("reason").asString()).isEqualTo("PAYMENT_DECLINED");
		assertStatus(id, "COMPENSATING");
		inventory.reply(id, "ReservationReleased");
		assertCancelled(id, "PAYMENT_DECLINED");
		assertThat(this.payment.typesOf(id)).containsExactly("AuthorizePayment");
	}

	@Test
	void noAnswerFromInventoryTimesOutCompensatesAndALateReplyChangesNothing() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 1));
		inventory.awaitCommand(id, "ReserveStock");
		MessageEnvelope release = inventory.awaitCommand(id, "ReleaseReservation");
		assertThat(release.payload().get("reason").asString()).isEqualTo("TIMEOUT");
		inventory.reply(id, "ReservationReleased");
		assertCancelled(id, "TIMEOUT");

		// The reserve was only late: its success is answered with a release, the order stays cancelled.
		int releases = count(inventory.commands().typesOf(id), "ReleaseReservation");
		inventory.reply(id, "StockReserved");
		inventory.awaitCommand(id, "ReleaseReservation", releases + 1);
		assertCancelled(id, "TIMEOUT");
		assertThat(this.payment.commandsOf(id)).isEmpty();
		assertThat(events.typesOf(id)).containsExactly("OrderPlaced", "OrderStatusChanged", "OrderCancelled");
	}

	@Test
	void noAnswerFromPaymentTimesOutReleasesAndVoidsAndALateAuthorizationIsVoided() {
		UUID id = place(OrderRequests.order(this.customer, "tok_timeout", MUG, 1));
		inventory.awaitCommand(id, "ReserveStock");
		inventory.reply(id, "StockReserved");
		this.payment.awaitCommand(id, "AuthorizePayment");

		assertThat(inventory.awaitCommand(id, "ReleaseReservation").payload().get("reason").asString())
			.isEqualTo("TIMEOUT");
		assertThat(this.payment.awaitCommand(id, "VoidPayment").routingKey()).isEqualTo("void");
		inventory.reply(id, "ReservationReleased");
		assertStatus(id, "COMPENSATING");
		this.payment.reply(id, "PaymentVoided");
		assertCancelled(id, "TIMEOUT");

		int voids = count(this.payment.typesOf(id), "VoidPayment");
		this.payment.reply(id, "PaymentAuthorized", Map.of("orderId", id, "paymentId", UUID.randomUUID()));
		this.payment.awaitCommand(id, "VoidPayment", voids + 1);
		assertCancelled(id, "TIMEOUT");
		assertThat(this.payment.typesOf(id)).doesNotContain("CapturePayment");
	}

	@Test
	void aCustomerCancelWhileAwaitingPaymentReleasesAndVoids() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 1));
		inventory.awaitCommand(id, "ReserveStock");
		inventory.reply(id, "StockReserved");
		this.payment.awaitCommand(id, "AuthorizePayment");

		cancel(id).expectStatus().isAccepted();
		assertThat(inventory.awaitCommand(id, "ReleaseReservation").payload().get("reason").asString())
			.isEqualTo("CUSTOMER_REQUEST");
		this.payment.awaitCommand(id, "VoidPayment");
		this.payment.reply(id, "PaymentVoided");
		inventory.reply(id, "ReservationReleased");
		assertCancelled(id, "CUSTOMER_REQUEST");
		cancel(id).expectStatus().isAccepted();
	}

	@Test
	void everyReplyDeliveredTwiceChangesNothing() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 1));
		inventory.awaitCommand(id, "ReserveStock");
		double duplicates = duplicates();

		MessageEnvelope reserved = inventory.reply(id, "StockReserved");
		inventory.resend(reserved);
		this.payment.awaitCommand(id, "AuthorizePayment");
		MessageEnvelope authorized = this.payment.reply(id, "PaymentAuthorized",
				Map.of("orderId", id, "paymentId", UUID.randomUUID()));
		this.payment.resend(authorized);
		inventory.awaitCommand(id, "ConfirmReservation");
		MessageEnvelope confirmed = inventory.reply(id, "ReservationConfirmed");
		inventory.resend(confirmed);
		// The second ReservationConfirmed must not be taken for the missing capture.
		await().atMost(Duration.ofSeconds(10)).until(() -> duplicates() >= duplicates + 3);
		assertStatus(id, "CONFIRMING");
		MessageEnvelope captured = this.payment.reply(id, "PaymentCaptured");
		this.payment.resend(captured);
		assertStatus(id, "CONFIRMED");
		await().atMost(Duration.ofSeconds(10)).until(() -> duplicates() >= duplicates + 4);

		// A reply that is new (another id) but not awaited any more changes nothing either.
		inventory.reply(id, "StockRejected", Map.of("orderId", id, "reason", "OUT_OF_STOCK"));
		this.payment.reply(id, "PaymentDeclined", Map.of("orderId", id, "reason", "card_declined"));
		sleep(Duration.ofSeconds(1));
		assertStatus(id, "CONFIRMED");
		assertThat(inventory.commands().typesOf(id)).containsExactly("ReserveStock", "ConfirmReservation");
		assertThat(this.payment.typesOf(id)).containsExactly("AuthorizePayment", "CapturePayment");
		assertThat(events.typesOf(id)).containsExactly("OrderPlaced", "OrderStatusChanged", "OrderStatusChanged",
				"OrderConfirmed");
	}

	@Test
	void aMalformedInventoryReplyGoesToTheDeadLetterTopicAndTheNextOneIsStillApplied() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 1));
		inventory.awaitCommand(id, "ReserveStock");
		inventory.send(id.toString(), "{not json");
		inventory.reply(id, "NoSuchReply");
		inventory.reply(id, "StockReserved", Map.of("orderId", "not-a-uuid"));
		inventory.reply(UUID.randomUUID(), "StockReserved");
		inventory.reply(id, "StockReserved");
		this.payment.awaitCommand(id, "AuthorizePayment");

		List<ConsumerRecord<String, String>> dead = await().atMost(Duration.ofSeconds(20))
			.until(inventoryDeadLetters::records, (records) -> records.size() >= 4);
		assertThat(dead).extracting(ConsumerRecord::value)
			.anySatisfy((value) -> assertThat(value).isEqualTo("{not json"))
			.anySatisfy((value) -> assertThat(value).contains("NoSuchReply"))
			.anySatisfy((value) -> assertThat(value).contains("not-a-uuid"));
		assertThat(dead.getFirst().headers().lastHeader("kafka_dlt-exception-message")).isNotNull();
		assertStatus(id, "AWAITING_PAYMENT");
	}

	@Test
	void aMalformedPaymentReplyGoesToTheDeadLetterQueueAndTheNextOneIsStillApplied() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 1));
		inventory.awaitCommand(id, "ReserveStock");
		inventory.reply(id, "StockReserved");
		this.payment.awaitCommand(id, "AuthorizePayment");

		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");
		this.payment.send(new Message("{\"id\": 42}".getBytes(), properties));
		this.payment.reply(id, "PaymentAuthorized", Map.of("orderId", id, "paymentId", UUID.randomUUID()));
		this.payment.awaitCommand(id, "CapturePayment");

		// Parked in order.payment-replies.dlq, from where libs/messaging copies it into the dead_letter table
		// that operators see through the admin API.
		JsonNode dead = await().atMost(Duration.ofSeconds(20)).until(() -> {
			String body = this.client.get()
				.uri("/admin/dead-letters?source=order.payment-replies")
				.headers(Callers.admin())
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			for (JsonNode letter : this.json.readTree(body)) {
				if (letter.path("payload").asString().equals("{\"id\": 42}")) {
					return letter;
				}
			}
			return null;
		}, (letter) -> letter != null);
		assertThat(dead.path("error").asString()).contains("MalformedMessageException");
		assertThat(dead.path("status").asString()).isEqualTo("PARKED");
		assertStatus(id, "CONFIRMING");
	}

	@Test
	void aConfirmedOrderCancelledWithinTheWindowIsRefundedOnceEvenWhenRepliesArriveTwice() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 2));
		inventory.awaitCommand(id, "ReserveStock");
		inventory.reply(id, "StockReserved");
		this.payment.awaitCommand(id, "AuthorizePayment");
		this.payment.reply(id, "PaymentAuthorized", Map.of("orderId", id, "paymentId", UUID.randomUUID()));
		inventory.awaitCommand(id, "ConfirmReservation");
		this.payment.awaitCommand(id, "CapturePayment");
		inventory.reply(id, "ReservationConfirmed");
		this.payment.reply(id, "PaymentCaptured");
		assertStatus(id, "CONFIRMED");

		cancel(id).expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("REFUNDING");
		MessageEnvelope returnStock = inventory.awaitCommand(id, "ReturnStock");
		Received refund = this.payment.awaitCommand(id, "RefundPayment");
		assertThat(returnStock.correlationId()).isEqualTo(id.toString());
		assertThat(refund.routingKey()).isEqualTo("refund");
		assertThat(status(id).get("cancellationReason").asString()).isEqualTo("REFUNDED");

		MessageEnvelope refunded = this.payment.reply(id, "PaymentRefunded");
		this.payment.resend(refunded);
		sleep(Duration.ofMillis(300));
		assertStatus(id, "REFUNDING");
		MessageEnvelope returned = inventory.reply(id, "StockReturned");
		inventory.resend(returned);
		assertCancelled(id, "REFUNDED");

		MessageEnvelope cancelled = events.await(id, "OrderCancelled");
		assertThat(cancelled.payload().get("reason").asString()).isEqualTo("REFUNDED");
		assertThat(events.typesOf(id)).containsExactly("OrderPlaced", "OrderStatusChanged", "OrderStatusChanged",
				"OrderConfirmed", "OrderStatusChanged", "OrderCancelled");
		assertThat(events.of(id)).extracting((event) -> event.payload().get("status").asString())
			.containsExactly("PENDING", "AWAITING_PAYMENT", "CONFIRMING", "CONFIRMED", "REFUNDING", "CANCELLED");
		// A second cancel of the refunded order changes nothing and sends nothing.
		cancel(id).expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");
		sleep(Duration.ofMillis(300));
		assertThat(this.payment.typesOf(id)).containsExactly("AuthorizePayment", "CapturePayment", "RefundPayment");
		assertThat(inventory.commands().typesOf(id)).containsExactly("ReserveStock", "ConfirmReservation", "ReturnStock");
	}

	@Test
	void aCompensationThatKeepsFailingIsResentWithBackoffThenTheOrderFails() {
		UUID id = place(OrderRequests.order(this.customer, "tok_ok", BOOK, 1));
		inventory.awaitCommand(id, "ReserveStock");
		cancel(id).expectStatus().isAccepted();
		// Inventory never confirms the release: sent once, re-sent max-attempts (2) times, then FAILED.
		inventory.awaitCommand(id, "ReleaseReservation", 3);
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(status(id).get("status").asString()).isEqualTo("FAILED"));
		assertThat(status(id).get("cancellationReason").asString()).isEqualTo("CUSTOMER_REQUEST");
		events.await(id, "OrderFailed");
		assertThat(inventory.commands().typesOf(id)).containsExactly("ReserveStock", "ReleaseReservation",
				"ReleaseReservation", "ReleaseReservation");
		// A late release confirmation does not revive a failed order.
		inventory.reply(id, "ReservationReleased");
		sleep(Duration.ofMillis(500));
		assertThat(status(id).get("status").asString()).isEqualTo("FAILED");
	}

	private static int count(List<String> types, String type) {
		return (int) types.stream().filter(type::equals).count();
	}

	private double duplicates() {
		return this.meters.find("inbox.duplicates").counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private UUID place(String body) {
		String location = this.client.post()
			.uri("/api/orders")
			.headers(Callers.customer(this.customer))
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(String.class)
			.returnResult()
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		return UUID.fromString(location.substring("/api/orders/".length()));
	}

	/** The customer's cancel of their order. */
	private RestTestClient.ResponseSpec cancel(UUID id) {
		return this.client.post().uri("/api/orders/{id}/cancel", id).headers(Callers.customer(this.customer)).exchange();
	}

	private JsonNode status(UUID id) {
		return this.json.readTree(this.client.get()
			.uri("/api/orders/{id}", id)
			.headers(Callers.customer(this.customer))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody());
	}

	private void assertStatus(UUID id, String expected) {
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(status(id).get("status").asString()).isEqualTo(expected));
	}

	private void assertCancelled(UUID id, String reason) {
		assertStatus(id, "CANCELLED");
		assertThat(status(id).get("cancellationReason").asString()).isEqualTo(reason);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
