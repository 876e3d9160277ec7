package com.example.shop.systemtests;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.example.shop.testsupport.DatabaseCoordinates;
import com.example.shop.testsupport.KeycloakServer;
import com.example.shop.testsupport.RabbitBroker;
import com.example.shop.testsupport.TestInfrastructure;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order saga end to end, as a user drives it: every service its own JVM from its packaged jar (two
 * replicas of order-service and of inventory-service), real PostgreSQL, Kafka and RabbitMQ, orders placed
 * and followed through the gateway, and stock and payments checked through their own APIs afterwards.
 * The last tests crash order-service replicas, so the tests run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderSagaThroughGatewayTests {

	/** Restart test: at most 4 customers x 2 checkouts/s for one to five minutes: well below this. */
	private static final int STOCK_FOR_THE_RESTART_LOAD = 10_000;

	/** A replica started while the others serve the restart test's load: on 2 cores it takes 2 to 3 minutes. */
	private static final Duration STARTUP_UNDER_LOAD = Duration.ofMinutes(5);

	/**
	 * 2 checkouts/s per customer, 8/s in all: hundreds still fall into the restart, and the sagas they start leave
	 * CPU for the replacement replica to start on a 2-core machine that runs the whole platform (at 40/s it took
	 * 167 s, at 16/s 201 s, and placements near the gateway's 5 s deadline began to time out).
	 */
	private static final Duration PACE_PER_CUSTOMER = Duration.ofMillis(500);

	private static final Duration STARTUP = Duration.ofSeconds(180);

	/** A saga of a few messages; generous for a loaded 2-core CI machine. */
	private static final Duration SETTLED = Duration.ofSeconds(60);

	/**
	 * The payment step's timeout for this run (production default 60 s). Long enough that 200 orders at once
	 * on a 2-core machine running eight service JVMs never time out waiting for an authorization (8 s did:
	 * two replies arrived 9 s after the request), short enough for the tok_timeout tests.
	 */
	private static final Duration PAYMENT_TIMEOUT = Duration.ofSeconds(15);

	private static final Set<String> TERMINAL = Set.of("CONFIRMED", "CANCELLED", "FAILED");

	private static final String PRAGMATIC_PROGRAMMER = "00000000-0000-4000-8000-000000000001";

	private static final String CONTESTED_PRODUCT = "00000000-0000-4000-8000-000000000030";

	/** The demo customer alice, logged in at Keycloak: every order of this test is hers. */
	private Login customer;

	/** As alice. */
	private HttpJson client;

	/** As the demo admin: stock, dead letters, and every service's reads. */
	private HttpJson admin;

	private final List<ServiceProcess> processes = new ArrayList<>();

	private ServiceProcess orderReplicaA;

	private final List<ServiceProcess> inventoryReplicas = new ArrayList<>();

	private ServiceProcess orderReplicaB;

	/** How order-service is started, to start it again after a crash. */
	private ServiceProperties orderProperties;

	private ServiceProcess gateway;

	/** The SMTP server notification-service sends to: a real one, in this JVM. */
	private GreenMail mailServer;

	private String virtualHost;

	@BeforeAll
	void startThePlatform() {
		KeycloakServer keycloak = TestInfrastructure.keycloak();
		customer = new Login(keycloak, "alice", "alice");
		client = new HttpJson().as(customer);
		admin = new HttpJson().as(new Login(keycloak, "admin", "admin"));
		String namespace = TestInfrastructure.newNamespace("system-saga");
		virtualHost = TestInfrastructure.rabbit().createVirtualHost(namespace);
		mailServer = new GreenMail(new ServerSetup(ServiceProcess.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mailServer.start();

		ServiceProcess discovery = track(ServiceProcess.start("discovery-server", "saga-discovery-server",
				ServiceProcess.freePort(), List.of()));
		ServiceProperties common = ServiceProperties.of().eureka(discovery).identity(keycloak);
		ServiceProperties product = common.database(database("product")).redis(namespace).kafka().grpcOnFreePort();
		ServiceProperties inventory = common.database(database("inventory")).kafka();
		ServiceProperties payment = common.database(database("payment")).rabbit(virtualHost, "payment-service");
		ServiceProperties notification = common.database(database("notification"))
			.kafka()
			.rabbit(virtualHost, "notification-service")
			.with("spring.mail.host=127.0.0.1", "spring.mail.port=" + mailServer.getSmtp().getPort());
		orderProperties = common.database(database("orders"))
			.kafka()
			.rabbit(virtualHost, "order-service")
			.with("shop.orders.saga.payment-timeout=" + PAYMENT_TIMEOUT.toSeconds() + "s",
					"shop.orders.saga.retry-initial-delay=2s");

		track(ServiceProcess.start("product-service", "saga-product-service", ServiceProcess.freePort(),
				product.toList()));
		inventoryReplicas.add(track(ServiceProcess.start("inventory-service", "saga-inventory-service-a",
				ServiceProcess.freePort(), inventory.grpcOnFreePort().toList())));
		inventoryReplicas.add(track(ServiceProcess.start("inventory-service", "saga-inventory-service-b",
				ServiceProcess.freePort(), inventory.grpcOnFreePort().toList())));
		track(ServiceProcess.start("payment-service", "saga-payment-service", ServiceProcess.freePort(),
				payment.toList()));
		orderReplicaA = track(ServiceProcess.start("order-service", "saga-order-service-a", ServiceProcess.freePort(),
				orderProperties.toList()));
		orderReplicaB = track(ServiceProcess.start("order-service", "saga-order-service-b", ServiceProcess.freePort(),
				orderProperties.toList()));
		track(ServiceProcess.start("notification-service", "saga-notification-service", ServiceProcess.freePort(),
				notification.toList()));
		gateway = track(ServiceProcess.start("api-gateway", "saga-api-gateway", ServiceProcess.freePort(),
				common.rateLimitsAboveTheLoad(namespace).toList()));

		processes.forEach(process -> process.awaitHealthy(STARTUP));
		// Every service must be routable through the gateway before the first order.
		for (String path : List.of("/api/products/" + PRAGMATIC_PROGRAMMER, "/api/inventory/" + PRAGMATIC_PROGRAMMER,
				"/api/payments?orderId=" + UUID.randomUUID(), "/api/orders?size=1",
				"/api/notifications?orderId=" + UUID.randomUUID())) {
			admin.await(gateway.baseUrl() + path, STARTUP, r -> r.statusCode() == 200, this::logs);
		}
		// A streak across both order-service replicas: each must reach the catalog before the first test's order.
		awaitOrderPlacementWorks(6);
	}

	@AfterAll
	void stopEverything() {
		processes.forEach(ServiceProcess::close);
		if (mailServer != null) {
			mailServer.stop();
		}
	}

	@Test
	@Order(1)
	void anOrderIsConfirmedStockLeavesAndThePaymentIsCaptured() {
		JsonNode stockBefore = stock(PRAGMATIC_PROGRAMMER);

		JsonNode placed = place(PRAGMATIC_PROGRAMMER, 2, "tok_ok");
		assertThat(placed.get("status").asString()).isEqualTo("PENDING");
		JsonNode order = awaitTerminal(placed.get("id").asString());

		assertThat(order.get("status").asString()).isEqualTo("CONFIRMED");
		JsonNode stockAfter = stock(PRAGMATIC_PROGRAMMER);
		assertThat(stockAfter.get("onHand").asInt()).isEqualTo(stockBefore.get("onHand").asInt() - 2);
		assertThat(stockAfter.get("reserved").asInt()).isEqualTo(stockBefore.get("reserved").asInt());
		JsonNode payments = payments(order.get("id").asString());
		assertThat(payments).hasSize(1);
		assertThat(payments.get(0).get("status").asString()).isEqualTo("CAPTURED");
		assertThat(payments.get(0).get("amount").decimalValue()).isEqualByComparingTo(order.get("total").decimalValue());
	}

	@Test
	@Order(2)
	void aDeclinedPaymentCancelsTheOrderAndReturnsTheStock() {
		JsonNode stockBefore = stock(PRAGMATIC_PROGRAMMER);

		JsonNode order = awaitTerminal(place(PRAGMATIC_PROGRAMMER, 1, "tok_declined").get("id").asString());

		assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(order.get("cancellationReason").asString()).isEqualTo("PAYMENT_DECLINED");
		assertThat(stock(PRAGMATIC_PROGRAMMER)).isEqualTo(stockBefore);
		assertThat(payments(order.get("id").asString()).get(0).get("status").asString()).isEqualTo("DECLINED");
	}

	@Test
	@Order(3)
	void aFlakyProviderStillEndsConfirmedWithOnePayment() {
		JsonNode order = awaitTerminal(place(PRAGMATIC_PROGRAMMER, 1, "tok_flaky").get("id").asString());

		assertThat(order.get("status").asString()).isEqualTo("CONFIRMED");
		JsonNode payments = payments(order.get("id").asString());
		assertThat(payments).hasSize(1);
		assertThat(payments.get(0).get("status").asString()).isEqualTo("CAPTURED");
	}

	@Test
	@Order(4)
	void aProviderThatNeverAnswersHitsTheStepTimeoutAndTheStockReturns() {
		JsonNode stockBefore = stock(PRAGMATIC_PROGRAMMER);

		JsonNode order = awaitTerminal(place(PRAGMATIC_PROGRAMMER, 3, "tok_timeout").get("id").asString());

		assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(order.get("cancellationReason").asString()).isEqualTo("TIMEOUT");
		assertThat(stock(PRAGMATIC_PROGRAMMER)).isEqualTo(stockBefore);
		assertThat(payments(order.get("id").asString()))
			.allSatisfy(payment -> assertThat(payment.get("status").asString()).isNotIn("AUTHORIZED", "CAPTURED"));
	}

	@Test
	@Order(5)
	void theCustomerCancelsBeforeConfirmationAndEveryStepIsUndone() {
		JsonNode stockBefore = stock(PRAGMATIC_PROGRAMMER);
		// tok_timeout keeps the saga waiting for the payment, so the cancel surely comes first.
		String id = place(PRAGMATIC_PROGRAMMER, 1, "tok_timeout").get("id").asString();

		HttpResponse<String> cancel = client.postJson(gateway.baseUrl() + "/api/orders/" + id + "/cancel", "");
		assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
		JsonNode order = awaitTerminal(id);

		assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(order.get("cancellationReason").asString()).isEqualTo("CUSTOMER_REQUEST");
		assertThat(stock(PRAGMATIC_PROGRAMMER)).isEqualTo(stockBefore);
		HttpResponse<String> again = client.postJson(gateway.baseUrl() + "/api/orders/" + id + "/cancel", "");
		assertThat(again.statusCode()).as("cancelling a cancelled order is idempotent").isEqualTo(202);
	}

	@Test
	@Order(5)
	void aConfirmedOrderCancelledWithinTheRefundWindowIsRefundedAndItsStockReturns() throws Exception {
		JsonNode stockBefore = stock(PRAGMATIC_PROGRAMMER);
		String recipient = "refunded-" + UUID.randomUUID() + "@example.com";
		String id = place(PRAGMATIC_PROGRAMMER, 2, "tok_ok", recipient).get("id").asString();
		assertThat(awaitTerminal(id).get("status").asString()).isEqualTo("CONFIRMED");

		HttpResponse<String> cancel = client.postJson(gateway.baseUrl() + "/api/orders/" + id + "/cancel", "");
		assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
		assertThat(client.read(cancel).get("status").asString()).isIn("REFUNDING", "CANCELLED");
		JsonNode order = awaitTerminal(id);

		assertThat(order.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(order.get("cancellationReason").asString()).isEqualTo("REFUNDED");
		assertThat(stock(PRAGMATIC_PROGRAMMER)).as("the two units are back on hand").isEqualTo(stockBefore);
		JsonNode payments = payments(id);
		assertThat(payments).hasSize(1);
		assertThat(payments.get(0).get("status").asString()).isEqualTo("REFUNDED");
		await("the confirmation and the refund email", () -> mailsTo(recipient).size() == 2);
		assertThat(mailsTo(recipient)).extracting((mail) -> subject(mail)).anySatisfy(
				(subject) -> assertThat(subject).contains(id.substring(0, 8)).contains("refunded"));
		HttpResponse<String> again = client.postJson(gateway.baseUrl() + "/api/orders/" + id + "/cancel", "");
		assertThat(again.statusCode()).as("cancelling a refunded order is idempotent").isEqualTo(202);
		ServiceProcess.sleep(Duration.ofSeconds(2));
		assertThat(mailsTo(recipient)).as("one refund email").hasSize(2);
	}

	@Test
	@Order(6)
	void aReplayedIdempotencyKeyGivesTheSameOrder() {
		String key = UUID.randomUUID().toString();
		String body = orderBody(PRAGMATIC_PROGRAMMER, 1, "tok_ok", "replay@example.com");

		HttpResponse<String> first = client.postJson(gateway.baseUrl() + "/api/orders", body, "Idempotency-Key", key);
		HttpResponse<String> second = client.postJson(gateway.baseUrl() + "/api/orders", body, "Idempotency-Key", key);
		HttpResponse<String> otherBody = client.postJson(gateway.baseUrl() + "/api/orders",
				orderBody(PRAGMATIC_PROGRAMMER, 2, "tok_ok", "replay@example.com"), "Idempotency-Key", key);

		assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
		assertThat(second.statusCode()).as(second.body()).isIn(200, 202);
		assertThat(client.read(second).get("id")).isEqualTo(client.read(first).get("id"));
		assertThat(otherBody.statusCode()).as(otherBody.body()).isEqualTo(422);
	}

	/**
	 * Checkouts under load while one order-service replica is stopped (SIGTERM, as a rolling restart does) and a
	 * new one started: every checkout that carries an Idempotency-Key is accepted. The gateway retries a keyed
	 * POST on a refused or closed connection (a replica on its way out, or one Eureka still lists), and
	 * order-service deduplicates by the key, so a retried checkout is still one order.
	 */
	@Test
	@Order(19)
	void aReplicaRestartedUnderLoadFailsNoKeyedCheckout() throws Exception {
		int onHand = stock(PRAGMATIC_PROGRAMMER).get("onHand").asInt();
		HttpResponse<String> restock = admin.putJson(gateway.baseUrl() + "/api/inventory/" + PRAGMATIC_PROGRAMMER,
				"{\"onHand\": " + (onHand + STOCK_FOR_THE_RESTART_LOAD) + "}");
		assertThat(restock.statusCode()).as(restock.body()).isEqualTo(200);

		Map<Integer, Integer> answers = new ConcurrentHashMap<>();
		Set<String> orders = ConcurrentHashMap.newKeySet();
		AtomicInteger placed = new AtomicInteger();
		AtomicBoolean loading = new AtomicBoolean(true);
		try (ExecutorService customers = Executors.newFixedThreadPool(4)) {
			List<Future<?>> load = new ArrayList<>();
			for (int customer = 0; customer < 4; customer++) {
				load.add(customers.submit(() -> {
					while (loading.get()) {
						// Paced: a fast machine must not sell out the stock (409s) or leave a backlog of sagas that
						// later tests wait behind; a slow one still places hundreds during the restart.
						ServiceProcess.sleep(PACE_PER_CUSTOMER);
						HttpResponse<String> answer = client.postJson(gateway.baseUrl() + "/api/orders",
								orderBody(PRAGMATIC_PROGRAMMER, 1, "tok_ok", "rolling@example.com"), "Idempotency-Key",
								UUID.randomUUID().toString());
						answers.merge(answer.statusCode(), 1, Integer::sum);
						placed.incrementAndGet();
						if (answer.statusCode() == 202) {
							orders.add(client.read(answer).get("id").asString());
						}
					}
				}));
			}
			try {
				ServiceProcess.sleep(Duration.ofSeconds(3));
				orderReplicaA.stopGracefully();
				ServiceProcess restarted = track(ServiceProcess.start("order-service", "saga-order-service-a2",
						ServiceProcess.freePort(), orderProperties.toList()));
				restarted.awaitHealthy(STARTUP_UNDER_LOAD);
				orderReplicaA = restarted;
				// Long enough for the gateway to route to the new replica (Eureka and its 5 s load-balancer cache).
				ServiceProcess.sleep(Duration.ofSeconds(12));
			}
			finally {
				// Also when the restart failed: the executor's close() waits for the customers, which stop only here
				// (a CI run once hung for an hour in that close() after a replica did not start).
				loading.set(false);
			}
			for (Future<?> customer : load) {
				customer.get(1, TimeUnit.MINUTES);
			}
		}
		System.out.printf("Keyed checkouts while an order-service replica restarted: %d placed, answers %s%n",
				placed.get(), answers);
		assertThat(answers.keySet()).as("answers %s", answers).containsOnly(202);
		assertThat(orders).hasSize(placed.get());
		// A replica that has just started may answer 503 for its first seconds (here its first catalog calls failed
		// and opened its catalog breaker); keyed checkouts were retried past that above. Later tests place orders
		// without a key: wait until placement works on every replica again.
		awaitOrderPlacementWorks(6);
	}

	@Test
	@Order(20)
	void twoHundredConcurrentOrdersForFiftyUnitsConfirmExactlyFifty() throws Exception {
		HttpResponse<String> restock = admin.putJson(gateway.baseUrl() + "/api/inventory/" + CONTESTED_PRODUCT,
				"{\"onHand\": 50}");
		assertThat(restock.statusCode()).as(restock.body()).isEqualTo(200);

		long started = System.nanoTime();
		Map<Integer, Integer> placementAnswers = new ConcurrentHashMap<>();
		List<String> accepted = Collections.synchronizedList(new ArrayList<>());
		try (ExecutorService customers = Executors.newFixedThreadPool(20)) {
			List<Future<?>> placing = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				String body = orderBody(CONTESTED_PRODUCT, 1, "tok_ok", "buyer" + i + "@example.com");
				placing.add(customers.submit(() -> {
					HttpResponse<String> answer = client.postJson(gateway.baseUrl() + "/api/orders", body);
					placementAnswers.merge(answer.statusCode(), 1, Integer::sum);
					if (answer.statusCode() == 202) {
						accepted.add(client.read(answer).get("id").asString());
					}
				}));
			}
			for (Future<?> placed : placing) {
				placed.get();
			}
		}
		assertThat(placementAnswers.keySet()).as("placement answers %s", placementAnswers).isSubsetOf(202, 409);

		Map<String, Long> outcomes = accepted.stream()
			.map(this::awaitTerminal)
			.collect(Collectors.groupingBy(order -> order.get("status").asString() + "/"
					+ order.path("cancellationReason").asString(""), Collectors.counting()));
		assertThat(outcomes.get("CONFIRMED/")).as("outcomes %s, placement %s", outcomes, placementAnswers)
			.isEqualTo(50L);
		assertThat(outcomes.keySet()).isSubsetOf("CONFIRMED/", "CANCELLED/OUT_OF_STOCK");
		System.out.printf("200 concurrent orders for 50 units: placement answers %s, outcomes %s, all settled in %d ms%n",
				placementAnswers, outcomes, (System.nanoTime() - started) / 1_000_000);
		JsonNode stock = stock(CONTESTED_PRODUCT);
		assertThat(stock.get("onHand").asInt()).isZero();
		assertThat(stock.get("reserved").asInt()).isZero();
		assertThat(stock.get("available").asInt()).isZero();
	}

	@Test
	@Order(21)
	void sagasInFlightWhenAReplicaCrashesAreFinishedByTheOther() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			ids.add(place(PRAGMATIC_PROGRAMMER, 1, "tok_ok").get("id").asString());
		}
		orderReplicaA.crash();

		for (String id : ids) {
			// The surviving replica takes over the crashed one's Kafka partitions after the consumer group's
			// session timeout, its unsent outbox rows at once, and its unacknowledged RabbitMQ deliveries.
			JsonNode order = awaitTerminal(id, SETTLED.multipliedBy(2));
			assertThat(order.get("status").asString()).as(id).isEqualTo("CONFIRMED");
		}
	}

	@Test
	@Order(22)
	void sagasInFlightWhenTheLastReplicaCrashesResumeWhenItIsStartedAgain() {
		// The gateway skips the replica crashed in the test before once Eureka has expired it (seconds); a
		// POST sent to it meanwhile is refused, and rightly not retried by the gateway.
		awaitOrderPlacementWorks(6);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(place(PRAGMATIC_PROGRAMMER, 1, "tok_ok").get("id").asString());
		}
		orderReplicaB.crash();
		// Nothing of order-service runs now; what the sagas had reached is only in its database, its outbox
		// and the brokers. A new process picks all of it up.
		track(ServiceProcess.start("order-service", "saga-order-service-restarted", ServiceProcess.freePort(),
				orderProperties.toList()))
			.awaitHealthy(STARTUP);

		for (String id : ids) {
			JsonNode order = awaitTerminal(id, SETTLED.multipliedBy(2));
			assertThat(order.get("status").asString()).as(id).isEqualTo("CONFIRMED");
		}
	}

	@Test
	@Order(10)
	void aWebSocketClientSeesEveryStatusChangeOfAnOrderPlacedThroughTheGateway() {
		// Inventory frozen (SIGSTOP) while the order is placed: its availability check times out (the order is
		// accepted anyway) and nobody takes ReserveStock yet, so the order surely waits in PENDING when the
		// clients connect. Resumed, the saga runs to CONFIRMED while they watch.
		String id;
		LiveOrderStatus first;
		LiveOrderStatus second;
		inventoryReplicas.forEach(ServiceProcess::pause);
		try {
			id = place(PRAGMATIC_PROGRAMMER, 1, "tok_ok").get("id").asString();
			first = LiveOrderStatus.connect(gateway.baseUrl(), id, customer.get());
			second = LiveOrderStatus.connect(gateway.baseUrl(), id, customer.get());
			for (LiveOrderStatus client : List.of(first, second)) {
				await("the status at connect of " + id, () -> !client.statuses().isEmpty());
				assertThat(client.statuses()).containsExactly("PENDING");
			}
		}
		finally {
			inventoryReplicas.forEach(ServiceProcess::resume);
		}
		try (first; second) {
			for (LiveOrderStatus client : List.of(first, second)) {
				await("live status of " + id, () -> client.statuses().contains("CONFIRMED"));
				// Every change, in the saga's order, each once.
				assertThat(client.statuses()).containsExactly("PENDING", "AWAITING_PAYMENT", "CONFIRMING", "CONFIRMED");
				assertThat(client.messages()).allSatisfy((message) -> {
					assertThat(message.get("orderId").asString()).isEqualTo(id);
					assertThat(message.get("at").asString()).isNotBlank();
				});
			}
		}
		HttpResponse<String> badPath = client.get(gateway.baseUrl() + "/ws/orders/not-a-uuid");
		assertThat(badPath.statusCode()).as(badPath.body()).isBetween(400, 499);
	}

	@Test
	@Order(11)
	void confirmedAndDeclinedOrdersEachGetExactlyOneEmail() throws Exception {
		String confirmedTo = "confirmed-" + UUID.randomUUID() + "@example.com";
		String declinedTo = "declined-" + UUID.randomUUID() + "@example.com";
		JsonNode confirmed = awaitTerminal(place(PRAGMATIC_PROGRAMMER, 2, "tok_ok", confirmedTo).get("id").asString());
		JsonNode declined = awaitTerminal(place(PRAGMATIC_PROGRAMMER, 1, "tok_declined", declinedTo).get("id").asString());
		assertThat(confirmed.get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(declined.get("cancellationReason").asString()).isEqualTo("PAYMENT_DECLINED");

		for (JsonNode order : List.of(confirmed, declined)) {
			String id = order.get("id").asString();
			String recipient = order.get("customerEmail").asString();
			await("the email for " + id, () -> mailsTo(recipient).size() == 1);
			MimeMessage mail = mailsTo(recipient).getFirst();
			String text = plainText(mail);
			assertThat(mail.getSubject()).contains(id.substring(0, 8));
			assertThat(text).contains(id).contains(order.get("total").decimalValue().setScale(2).toPlainString());

			// The SMTP server has the mail a moment before notification-service has recorded it as SENT.
			HttpResponse<String> listed = client.await(gateway.baseUrl() + "/api/notifications?orderId=" + id, SETTLED,
					r -> r.statusCode() == 200 && r.body().contains("\"SENT\""), this::logs);
			JsonNode notifications = client.read(listed);
			assertThat(notifications).hasSize(1);
			assertThat(notifications.get(0).get("recipient").asString()).isEqualTo(recipient);
			assertThat(notifications.get(0).get("status").asString()).isEqualTo("SENT");
		}
		assertThat(client.read(client.get(gateway.baseUrl() + "/api/notifications?orderId=" + declined.get("id").asString()))
			.get(0).get("type").asString()).isEqualTo("PAYMENT_DECLINED");
		// One email per event, however the events were delivered.
		ServiceProcess.sleep(Duration.ofSeconds(2));
		assertThat(mailsTo(confirmedTo)).hasSize(1);
		assertThat(mailsTo(declinedTo)).hasSize(1);
	}

	@Test
	@Order(12)
	void aPoisonMessageOnAnyConsumedTopicOrQueueIsListedAndCanBeReplayedOrDiscardedThroughTheGateway()
			throws Exception {
		// Every topic and queue a service consumes, and the service whose dead letters it lands in.
		Map<String, String> kafkaTopics = Map.of("inventory.commands", "inventory-service", "inventory.replies",
				"order-service", "inventory.stock-changes", "product-service", "orders.events", "notification-service");
		Map<String, String> rabbitQueues = Map.of("payment.commands", "payment-service", "order.payment-replies",
				"order-service", "notification.email", "notification-service");
		Map<String, String> markers = new ConcurrentHashMap<>();
		try (KafkaProducer<String, String> producer = kafkaProducer()) {
			for (String topic : kafkaTopics.keySet()) {
				String marker = "{\"poison\": \"" + UUID.randomUUID() + "\"}";
				producer.send(new ProducerRecord<>(topic, UUID.randomUUID().toString(), marker)).get();
				markers.put(topic, marker);
			}
		}
		try (Connection connection = rabbitConnection(); Channel channel = connection.createChannel()) {
			channel.confirmSelect();
			for (String queue : rabbitQueues.keySet()) {
				String marker = "{\"poison\": \"" + UUID.randomUUID() + "\"}";
				channel.basicPublish("", queue, true, new AMQP.BasicProperties.Builder().contentType("application/json")
					.build(), marker.getBytes(StandardCharsets.UTF_8));
				markers.put(queue, marker);
			}
			channel.waitForConfirmsOrDie(10_000);
		}

		Map<String, String> services = new java.util.HashMap<>(kafkaTopics);
		services.putAll(rabbitQueues);
		Map<String, JsonNode> deadLetters = new java.util.HashMap<>();
		for (Map.Entry<String, String> source : services.entrySet()) {
			String url = gateway.baseUrl() + "/api/admin/" + source.getValue() + "/dead-letters";
			String marker = markers.get(source.getKey());
			HttpResponse<String> listed = admin.await(url, SETTLED,
					r -> r.statusCode() == 200 && withPayload(admin.read(r), marker) != null, this::logs);
			JsonNode deadLetter = withPayload(admin.read(listed), marker);
			assertThat(deadLetter.get("source").asString()).isEqualTo(source.getKey());
			assertThat(deadLetter.get("error").asString()).isNotBlank();
			assertThat(deadLetter.get("attempts").asInt()).isPositive();
			assertThat(deadLetter.get("failedAt").asString()).isNotBlank();
			deadLetters.put(source.getKey(), deadLetter);
		}

		// Replay sends the original back to where it came from: still poison, so it is dead-lettered again.
		for (String source : List.of("orders.events", "payment.commands")) {
			String service = services.get(source);
			String base = gateway.baseUrl() + "/api/admin/" + service + "/dead-letters/";
			String id = deadLetters.get(source).get("id").asString();
			HttpResponse<String> replay = admin.postJson(base + id + "/replay", "");
			assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
			admin.await(base.substring(0, base.length() - 1), SETTLED, r -> r.statusCode() == 200
					&& count(admin.read(r), markers.get(source)) == 1 && withPayload(admin.read(r), markers.get(source))
						.get("id").asString().equals(id) == false, this::logs);
			JsonNode replayed = admin.read(admin.get(base.substring(0, base.length() - 1) + "?status=REPLAYED"));
			assertThat(withPayload(replayed, markers.get(source)).get("id").asString()).isEqualTo(id);
		}

		// Discarded: gone from the default list; an unknown id is a 404 problem.
		String inventoryBase = gateway.baseUrl() + "/api/admin/inventory-service/dead-letters";
		String discarded = deadLetters.get("inventory.commands").get("id").asString();
		HttpResponse<String> delete = admin.send(HttpRequest.newBuilder(URI.create(inventoryBase + "/" + discarded)).DELETE());
		assertThat(delete.statusCode()).as(delete.body()).isEqualTo(204);
		assertThat(withPayload(admin.read(admin.get(inventoryBase)), markers.get("inventory.commands"))).isNull();
		HttpResponse<String> unknown = admin.postJson(inventoryBase + "/" + UUID.randomUUID() + "/replay", "");
		assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(
				type -> assertThat(type).startsWith("application/problem+json"));
	}

	private List<MimeMessage> mailsTo(String recipient) {
		return Arrays.stream(mailServer.getReceivedMessages()).filter((mail) -> {
			try {
				return Arrays.stream(mail.getAllRecipients()).anyMatch((address) -> address.toString().contains(recipient));
			}
			catch (MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).toList();
	}

	/** The decoded text/plain part of a (multipart/alternative) email. */
	private static String subject(MimeMessage mail) {
		try {
			return mail.getSubject();
		}
		catch (MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String plainText(Part part) throws Exception {
		if (part.isMimeType("text/plain")) {
			return (String) part.getContent();
		}
		if (part.getContent() instanceof Multipart multipart) {
			for (int i = 0; i < multipart.getCount(); i++) {
				String text = plainText(multipart.getBodyPart(i));
				if (text != null) {
					return text;
				}
			}
		}
		return null;
	}

	private static JsonNode withPayload(JsonNode deadLetters, String payload) {
		for (JsonNode deadLetter : deadLetters) {
			if (payload.equals(deadLetter.path("payload").asString())) {
				return deadLetter;
			}
		}
		return null;
	}

	private static int count(JsonNode deadLetters, String payload) {
		int count = 0;
		for (JsonNode deadLetter : deadLetters) {
			if (payload.equals(deadLetter.path("payload").asString())) {
				count++;
			}
		}
		return count;
	}

	private static KafkaProducer<String, String> kafkaProducer() {
		Properties properties = new Properties();
		properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafka().bootstrapServers());
		properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
		properties.put(ProducerConfig.ACKS_CONFIG, "all");
		return new KafkaProducer<>(properties);
	}

	private Connection rabbitConnection() throws Exception {
		RabbitBroker rabbit = TestInfrastructure.rabbit();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(rabbit.host());
		factory.setPort(rabbit.amqpPort());
		factory.setUsername(rabbit.username());
		factory.setPassword(rabbit.password());
		factory.setVirtualHost(virtualHost);
		return factory.newConnection("system-test-poison");
	}

	private void await(String what, java.util.function.BooleanSupplier condition) {
		Instant deadline = Instant.now().plus(SETTLED);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("not within " + SETTLED + ": " + what + "\n" + logs());
			}
			ServiceProcess.sleep(Duration.ofMillis(200));
		}
	}

	/**
	 * Until {@code times} placements in a row reach an order-service that can price them. An order for a
	 * product that does not exist answers 422 then (503 while order-service does not yet know product-service's
	 * gRPC address from Eureka, 502 from a replica that is gone), and stores nothing.
	 */
	private void awaitOrderPlacementWorks(int times) {
		String probe = orderBody("00000000-0000-4000-8000-999999999999", 1, "tok_ok", "probe@example.com");
		AtomicInteger streak = new AtomicInteger();
		client.await("order placement", () -> client.postJson(gateway.baseUrl() + "/api/orders", probe), STARTUP,
				r -> (r.statusCode() == 422) ? streak.incrementAndGet() >= times : streak.getAndSet(0) < 0,
				this::logs);
	}

	private JsonNode place(String productId, int quantity, String token) {
		return place(productId, quantity, token, "customer@example.com");
	}

	private JsonNode place(String productId, int quantity, String token, String email) {
		HttpResponse<String> answer = client.postJson(gateway.baseUrl() + "/api/orders",
				orderBody(productId, quantity, token, email));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
		assertThat(answer.headers().firstValue("Location")).hasValueSatisfying(
				location -> assertThat(location).startsWith("/api/orders/"));
		return client.read(answer);
	}

	private static String orderBody(String productId, int quantity, String token, String email) {
		return """
				{"customerEmail": "%s",
				 "items": [{"productId": "%s", "quantity": %d}], "payment": {"token": "%s"}}"""
			.formatted(email, productId, quantity, token);
	}

	private JsonNode awaitTerminal(String orderId) {
		return awaitTerminal(orderId, SETTLED);
	}

	private JsonNode awaitTerminal(String orderId, Duration timeout) {
		HttpResponse<String> answer = client.await(gateway.baseUrl() + "/api/orders/" + orderId, timeout,
				r -> r.statusCode() == 200 && TERMINAL.contains(client.read(r).get("status").asString()), this::logs);
		return client.read(answer);
	}

	private JsonNode stock(String productId) {
		HttpResponse<String> answer = client.get(gateway.baseUrl() + "/api/inventory/" + productId);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return client.read(answer);
	}

	private JsonNode payments(String orderId) {
		HttpResponse<String> answer = client.get(gateway.baseUrl() + "/api/payments?orderId=" + orderId);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return client.read(answer);
	}

	private static DatabaseCoordinates database(String service) {
		return TestInfrastructure.postgres().createDatabase("system-saga-" + service);
	}

	private String logs() {
		return processes.stream()
			.map(process -> "--- " + process.name() + " (" + process.baseUrl() + ") ---\n" + process.logTail())
			.collect(Collectors.joining("\n"));
	}

	private ServiceProcess track(ServiceProcess process) {
		processes.add(process);
		return process;
	}

}
