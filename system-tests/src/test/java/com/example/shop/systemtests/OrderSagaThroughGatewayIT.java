package com.example.shop.systemtests;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.example.shop.testsupport.DatabaseCoordinates;
import com.example.shop.testsupport.TestInfrastructure;
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
class OrderSagaThroughGatewayIT {

	private static final Duration STARTUP = Duration.ofSeconds(180);

	/** A saga of a few messages; generous for a loaded 2-core CI machine. */
	private static final Duration SETTLED = Duration.ofSeconds(60);

	/** The payment step's timeout for this run (production default 60 s). */
	private static final Duration PAYMENT_TIMEOUT = Duration.ofSeconds(8);

	private static final Set<String> TERMINAL = Set.of("CONFIRMED", "CANCELLED", "FAILED");

	private static final String PRAGMATIC_PROGRAMMER = "00000000-0000-4000-8000-000000000001";

	private static final String CONTESTED_PRODUCT = "00000000-0000-4000-8000-000000000030";

	private final HttpJson client = new HttpJson();

	private final List<ServiceProcess> processes = new ArrayList<>();

	private ServiceProcess orderReplicaA;

	private ServiceProcess orderReplicaB;

	/** How order-service is started, to start it again after a crash. */
	private ServiceProperties orderProperties;

	private ServiceProcess gateway;

	@BeforeAll
	void startThePlatform() {
		String namespace = TestInfrastructure.newNamespace("system-saga");
		String virtualHost = TestInfrastructure.rabbit().createVirtualHost(namespace);

		ServiceProcess discovery = track(ServiceProcess.start("discovery-server", "saga-discovery-server",
				ServiceProcess.freePort(), List.of()));
		ServiceProperties common = ServiceProperties.of().eureka(discovery);
		ServiceProperties product = common.database(database("product")).redis(namespace).kafka().grpcOnFreePort();
		ServiceProperties inventory = common.database(database("inventory")).kafka();
		ServiceProperties payment = common.database(database("payment")).rabbit(virtualHost);
		orderProperties = common.database(database("orders"))
			.kafka()
			.rabbit(virtualHost)
			.with("shop.orders.saga.payment-timeout=" + PAYMENT_TIMEOUT.toSeconds() + "s",
					"shop.orders.saga.retry-initial-delay=2s");

		track(ServiceProcess.start("product-service", "saga-product-service", ServiceProcess.freePort(),
				product.toList()));
		track(ServiceProcess.start("inventory-service", "saga-inventory-service-a", ServiceProcess.freePort(),
				inventory.grpcOnFreePort().toList()));
		track(ServiceProcess.start("inventory-service", "saga-inventory-service-b", ServiceProcess.freePort(),
				inventory.grpcOnFreePort().toList()));
		track(ServiceProcess.start("payment-service", "saga-payment-service", ServiceProcess.freePort(),
				payment.toList()));
		orderReplicaA = track(ServiceProcess.start("order-service", "saga-order-service-a", ServiceProcess.freePort(),
				orderProperties.toList()));
		orderReplicaB = track(ServiceProcess.start("order-service", "saga-order-service-b", ServiceProcess.freePort(),
				orderProperties.toList()));
		gateway = track(ServiceProcess.start("api-gateway", "saga-api-gateway", ServiceProcess.freePort(),
				common.toList()));

		processes.forEach(process -> process.awaitHealthy(STARTUP));
		// Every service must be routable through the gateway before the first order.
		for (String path : List.of("/api/products/" + PRAGMATIC_PROGRAMMER, "/api/inventory/" + PRAGMATIC_PROGRAMMER,
				"/api/payments?orderId=" + UUID.randomUUID(), "/api/orders?size=1")) {
			client.await(gateway.baseUrl() + path, STARTUP, r -> r.statusCode() == 200, this::logs);
		}
		awaitOrderPlacementWorks(1);
	}

	@AfterAll
	void stopEverything() {
		processes.forEach(ServiceProcess::close);
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

	@Test
	@Order(7)
	void twoHundredConcurrentOrdersForFiftyUnitsConfirmExactlyFifty() throws Exception {
		HttpResponse<String> restock = client.putJson(gateway.baseUrl() + "/api/inventory/" + CONTESTED_PRODUCT,
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
	@Order(8)
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
	@Order(9)
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
		HttpResponse<String> answer = client.postJson(gateway.baseUrl() + "/api/orders",
				orderBody(productId, quantity, token, "customer@example.com"));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
		assertThat(answer.headers().firstValue("Location")).hasValueSatisfying(
				location -> assertThat(location).startsWith("/api/orders/"));
		return client.read(answer);
	}

	private static String orderBody(String productId, int quantity, String token, String email) {
		return """
				{"customerId": "%s", "customerEmail": "%s",
				 "items": [{"productId": "%s", "quantity": %d}], "payment": {"token": "%s"}}"""
			.formatted(UUID.randomUUID(), email, productId, quantity, token);
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
