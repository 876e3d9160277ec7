package com.example.shop.notification.live;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.testsupport.KafkaSender;
import com.example.shop.notification.live.client.OrderServiceClientConfiguration;
import com.example.shop.notification.orderevents.OrderEventsProperties;
import com.example.shop.notification.web.OrderStatusSessions;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.TokenEndpointStandIn;
import com.example.shop.testsupport.UsesInfrastructure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The live order status WebSocket from the outside: real WebSocket clients (Tomcat's) on the real server with
 * tokens of {@link TestTokens}' issuer, order events published to real Kafka as order-service's outbox publishes
 * them, the projection in real PostgreSQL, a stand-in order-service over real HTTP that checks the service token it
 * is called with, found through Spring Cloud's discovery client as Eureka's would be, and a stand-in token endpoint
 * that issues that token. Pings every second and sessions closed 3 s after a final status (application-test.yml),
 * so the tests can see it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		// Tracing on as in production (tests switch it off by default), but no span export: no Zipkin here.
		properties = "management.tracing.export.zipkin.enabled=false")
@AutoConfigureTracing
@ActiveProfiles("test")
// RabbitMQ too, though the live feed does not use it: the context declares the email queues, and without a
// vhost of its own it would declare them (with the tests' short delays) in the shared "/" vhost.
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
@Timeout(120)
class LiveOrderStatusTests {

	static final TestTokens tokens = TestTokens.issuer();

	/** The customer whose orders these tests watch, unless a test says otherwise. */
	static final UUID CUSTOMER = UUID.randomUUID();

	static final StandInOrderService orderService = startOrderService();

	static final TokenEndpointStandIn realm = startRealm();

	/** Set once this class's feed consumer reads the topic (it starts at the end, "latest"). */
	static volatile boolean feedLive;

	@DynamicPropertySource
	static void orderServiceInstance(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri", orderService::uri);
		registry.add("spring.security.oauth2.client.provider.shop.token-uri", realm::tokenUri);
	}

	@LocalServerPort
	int port;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Autowired
	OrderEventsProperties properties;

	@Autowired
	OrderStatusProjection projection;

	@Autowired
	OrderStatusSessions sessions;

	@Autowired
	MeterRegistry meters;

	@Autowired
	CircuitBreakerRegistry breakers;

	KafkaSender sender;

	final StandardWebSocketClient webSockets = new StandardWebSocketClient();

	final List<AutoCloseable> opened = new ArrayList<>();

	@BeforeEach
	void start() {
		this.sender = new KafkaSender(this.bootstrapServers);
		if (!feedLive) {
			awaitFeedLive();
			feedLive = true;
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.sessions.open() == 0);
		// Tests that make order-service fail must not open the breaker for the next ones.
		this.breakers.circuitBreaker(OrderServiceClientConfiguration.BREAKER).reset();
	}

	@AfterEach
	void stop() throws Exception {
		for (AutoCloseable closeable : this.opened) {
			closeable.close();
		}
		this.sender.close();
	}

	@AfterAll
	static void stopOrderService() {
		orderService.close();
		realm.close();
	}

	@Test
	void aClientIsToldTheCurrentStatusAtConnectAndEveryChangeInOrder() throws Exception {
		UUID order = UUID.randomUUID();
		Instant placed = Instant.parse("2026-11-30T10:00:00.123456Z");
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, placed));

		int callsBefore = orderService.calls();
		StatusClient client = connect(order);
		JsonNode first = client.next();
		assertThat(first.get("orderId").asString()).isEqualTo(order.toString());
		assertThat(first.get("status").asString()).isEqualTo("PENDING");
		assertThat(first.get("cancellationReason").isNull()).isTrue();
		assertThat(first.get("at").asString()).isEqualTo("2026-11-30T10:00:00.123456Z");
		assertThat(orderService.calls()).as("the projection knew the order: no call to order-service")
			.isEqualTo(callsBefore);

		publish(event("OrderStatusChanged", order, "AWAITING_PAYMENT", null, placed.plusSeconds(1)));
		publish(event("OrderStatusChanged", order, "CONFIRMING", null, placed.plusSeconds(2)));
		publish(event("OrderConfirmed", order, "CONFIRMED", null, placed.plusSeconds(3)));

		assertThat(List.of(client.next(), client.next(), client.next())).extracting(frame -> frame.get("status").asString())
			.containsExactly("AWAITING_PAYMENT", "CONFIRMING", "CONFIRMED");
		client.assertNothingFor(Duration.ofMillis(300));
	}

	@Test
	void aCancellationCarriesItsReasonAndTheSessionIsClosedNormallyAfterTheFinalStatus() throws Exception {
		UUID order = UUID.randomUUID();
		Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, placed));
		StatusClient client = connect(order);
		assertThat(client.next().get("status").asString()).isEqualTo("PENDING");

		publish(event("OrderCancelled", order, "CANCELLED", "PAYMENT_DECLINED", placed.plusSeconds(1)));

		JsonNode cancelled = client.next();
		assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(cancelled.get("cancellationReason").asString()).isEqualTo("PAYMENT_DECLINED");
		await().atMost(Duration.ofSeconds(10)).until(() -> client.closedStatus() != null);
		assertThat(client.closedStatus().getCode()).isEqualTo(CloseStatus.NORMAL.getCode());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sessions.open() == 0);
	}

	/**
	 * A refund of a confirmed order: REFUNDING (reason REFUNDED) is recorded and shown, and is not final (the
	 * session stays open for the outcome); then CANCELLED with reason REFUNDED, final.
	 */
	@Test
	void aRefundIsShownAsRefundingThenCancelledWithItsReason() throws Exception {
		UUID order = UUID.randomUUID();
		Instant confirmed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		publishAndAwaitProjection(event("OrderConfirmed", order, "CONFIRMED", null, confirmed));
		publish(event("OrderStatusChanged", order, "REFUNDING", "REFUNDED", confirmed.plusSeconds(1)));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.projection.find(order).map(OrderStatusUpdate::status), (status) -> status
				.filter(OrderStatus.REFUNDING::equals)
				.isPresent());
		assertThat(this.projection.find(order)).get()
			.extracting(OrderStatusUpdate::cancellationReason)
			.isEqualTo("REFUNDED");

		StatusClient client = connect(order);
		JsonNode refunding = client.next();
		assertThat(refunding.get("status").asString()).isEqualTo("REFUNDING");
		assertThat(refunding.get("cancellationReason").asString()).isEqualTo("REFUNDED");
		// Longer than close-after-final-status (3 s in tests): REFUNDING is not final, the session stays.
		client.assertNothingFor(Duration.ofSeconds(4));
		assertThat(client.closedStatus()).isNull();

		publish(event("OrderCancelled", order, "CANCELLED", "REFUNDED", confirmed.plusSeconds(2)));

		JsonNode cancelled = client.next();
		assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
		assertThat(cancelled.get("cancellationReason").asString()).isEqualTo("REFUNDED");
		await().atMost(Duration.ofSeconds(10)).until(() -> client.closedStatus() != null);
		assertThat(client.closedStatus().getCode()).isEqualTo(CloseStatus.NORMAL.getCode());
	}

	@Test
	void everyClientOfAnOrderGetsItsChangesAndAClientOfAnotherOrderNothing() throws Exception {
		UUID order = UUID.randomUUID();
		UUID other = UUID.randomUUID();
		Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, placed));
		publishAndAwaitProjection(event("OrderPlaced", other, "PENDING", null, placed));
		StatusClient first = connect(order);
		StatusClient second = connect(order);
		StatusClient bystander = connect(other);
		assertThat(List.of(first.next(), second.next(), bystander.next()))
			.allSatisfy(frame -> assertThat(frame.get("status").asString()).isEqualTo("PENDING"));
		assertThat(this.sessions.open(order)).isEqualTo(2);

		publish(event("OrderStatusChanged", order, "AWAITING_PAYMENT", null, placed.plusSeconds(1)));

		assertThat(first.next().get("status").asString()).isEqualTo("AWAITING_PAYMENT");
		assertThat(second.next().get("status").asString()).isEqualTo("AWAITING_PAYMENT");
		bystander.assertNothingFor(Duration.ofMillis(500));
	}

	@Test
	void aClosedClientIsRemovedAndTheGaugeFollows() throws Exception {
		UUID order = UUID.randomUUID();
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, Instant.now()));
		StatusClient first = connect(order);
		StatusClient second = connect(order);
		first.next();
		second.next();
		assertThat(openSessionsGauge()).isEqualTo(2);

		first.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> openSessionsGauge() == 1);
		second.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> openSessionsGauge() == 0);
		assertThat(this.sessions.open(order)).isZero();
	}

	@Test
	void aClientThatStopsAnsweringPingsIsRemoved() throws Exception {
		UUID order = UUID.randomUUID();
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, Instant.now()));
		StatusClient healthy = connect(order);
		healthy.next();
		// Completes the handshake, then neither reads nor answers pings: a client whose network went away.
		RawHandshake halfOpen = RawHandshake.open(this.port, "/ws/orders/" + order, customersToken());
		this.opened.add(halfOpen);
		assertThat(halfOpen.head()).startsWith("HTTP/1.1 101");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sessions.open(order) == 2);

		// Pings every second; no pong for two intervals closes it. The real client answers its pings and stays.
		await().atMost(Duration.ofSeconds(15)).until(() -> this.sessions.open(order) == 1);
		assertThat(healthy.isOpen()).isTrue();
		assertThat(openSessionsGauge()).isEqualTo(1);
	}

	@Test
	void anOlderEventAfterANewerOneIsNotPushedNorRecorded() throws Exception {
		UUID order = UUID.randomUUID();
		Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, placed));
		StatusClient client = connect(order);
		assertThat(client.next().get("status").asString()).isEqualTo("PENDING");
		publish(event("OrderStatusChanged", order, "CONFIRMING", null, placed.plusSeconds(2)));
		assertThat(client.next().get("status").asString()).isEqualTo("CONFIRMING");

		// A late AWAITING_PAYMENT (it happened before CONFIRMING), and the same CONFIRMING again (a redelivery).
		publish(event("OrderStatusChanged", order, "AWAITING_PAYMENT", null, placed.plusSeconds(1)));
		publish(event("OrderStatusChanged", order, "CONFIRMING", null, placed.plusSeconds(2)));
		publish(event("OrderConfirmed", order, "CONFIRMED", null, placed.plusSeconds(3)));

		// Same key, same partition, one consumer thread: CONFIRMED is handled after both of them.
		assertThat(client.next().get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(this.projection.find(order)).get().extracting(OrderStatusUpdate::status)
			.isEqualTo(OrderStatus.CONFIRMED);

		publish(event("OrderStatusChanged", order, "COMPENSATING", null, placed.plusSeconds(1)));
		client.assertNothingFor(Duration.ofMillis(700));
		assertThat(this.projection.find(order)).get().extracting(OrderStatusUpdate::status)
			.isEqualTo(OrderStatus.CONFIRMED);
	}

	@Test
	void recordsTheFeedCannotReadAreSkippedAndTheOnesBehindThemArrive() throws Exception {
		UUID order = UUID.randomUUID();
		Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, placed));
		StatusClient client = connect(order);
		client.next();

		String topic = this.properties.orderEventsTopic();
		this.sender.sendRaw(topic, order.toString(), "{not json");
		this.sender.sendRaw(topic, order.toString(), null);
		this.sender.send(topic, MessageEnvelope.create("OrderStatusChanged", 1, "order-service", order.toString(),
				Map.of("orderId", "not-a-uuid", "status", "FAILED", "at", placed.plusSeconds(1).toString())));
		publish(event("OrderStatusChanged", order, "NOT_A_STATUS", null, placed.plusSeconds(1)));
		this.sender.send(topic, MessageEnvelope.create("OrderStatusChanged", 2, "order-service", order.toString(),
				payload(order, "FAILED", null, placed.plusSeconds(1))));
		this.sender.send(topic, MessageEnvelope.create("SomethingElse", 1, "order-service", order.toString(),
				payload(order, "FAILED", null, placed.plusSeconds(1))));
		publish(event("OrderStatusChanged", order, "AWAITING_PAYMENT", null, placed.plusSeconds(2)));

		assertThat(client.next().get("status").asString()).isEqualTo("AWAITING_PAYMENT");
		assertThat(this.projection.find(order)).get().extracting(OrderStatusUpdate::status)
			.isEqualTo(OrderStatus.AWAITING_PAYMENT);
	}

	@Test
	void anOrderTheProjectionDoesNotKnowIsAskedAtOrderService() throws Exception {
		UUID order = UUID.randomUUID();
		Instant updated = Instant.parse("2026-11-30T11:00:00.5Z");
		orderService.answer(order, new StandInOrderService.Order("AWAITING_PAYMENT", null, updated.toString(), CUSTOMER));
		int refusedBefore = orderService.refusedTokens();
		// The request id the gateway gives the handshake.
		WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
		handshake.setBearerAuth(customersToken());
		handshake.add("X-Request-Id", "abc123");

		StatusClient client = StatusClient.connect(this.webSockets, uri(order), handshake);
		this.opened.add(client);

		JsonNode first = client.next();
		assertThat(first.get("status").asString()).isEqualTo("AWAITING_PAYMENT");
		assertThat(first.get("at").asString()).isEqualTo("2026-11-30T11:00:00.500Z");
		// An event older than order-service's answer (it was on its way) is not sent; a later one is.
		publish(event("OrderPlaced", order, "PENDING", null, updated.minusSeconds(1)));
		publish(event("OrderStatusChanged", order, "CONFIRMING", null, updated.plusSeconds(1)));
		assertThat(client.next().get("status").asString()).isEqualTo("CONFIRMING");
		// The lookup is traced: order-service's span joins the trace of this service's client span.
		assertThat(orderService.traceparent(order)).as("W3C trace context sent to order-service")
			.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
		// ... and the request id goes on with it (baggage, libs/service-defaults).
		assertThat(orderService.requestId(order)).as("X-Request-Id sent to order-service").isEqualTo("abc123");
		// Asked with this service's own token (client credentials, scope orders.read), which order-service accepted.
		assertThat(orderService.refusedTokens()).isEqualTo(refusedBefore);
		assertThat(orderService.acceptedTokens()).last().isEqualTo(realm.lastIssued());
	}

	@Test
	void anUnknownOrderIsRefusedWith404() throws Exception {
		UUID unknown = UUID.randomUUID();

		try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + unknown, customersToken())) {
			RawHandshake.Response response = handshake.response();
			assertThat(response.status()).isEqualTo(404);
			assertThat(response.head()).containsIgnoringCase("Content-Type: application/problem+json");
			assertThat(response.body()).contains("\"status\":404").contains(unknown.toString());
		}
		assertThatThrownBy(() -> connect(unknown)).isInstanceOf(ExecutionException.class);
		assertThat(this.sessions.open()).isZero();
	}

	@Test
	void whenOrderServiceCannotAnswerAnAdminIsAcceptedAndGetsTheFirstEvent() throws Exception {
		UUID failing = UUID.randomUUID();
		orderService.answer(failing, new StandInOrderService.Status(503));
		UUID slow = UUID.randomUUID();
		orderService.answer(slow, new StandInOrderService.Slow(Duration.ofSeconds(8)));

		StatusClient afterError = connectAsAdmin(failing);
		long started = System.nanoTime();
		StatusClient afterTimeout = connectAsAdmin(slow);
		Duration handshake = Duration.ofNanos(System.nanoTime() - started);

		assertThat(handshake).as("the handshake waits for order-service no longer than its deadline")
			.isBetween(Duration.ofMillis(1500), Duration.ofMillis(6000));
		afterError.assertNothingFor(Duration.ofMillis(300));
		afterTimeout.assertNothingFor(Duration.ofMillis(1));
		publish(event("OrderStatusChanged", failing, "AWAITING_PAYMENT", null, Instant.now()));
		publish(event("OrderStatusChanged", slow, "CONFIRMING", null, Instant.now()));
		assertThat(afterError.next().get("status").asString()).isEqualTo("AWAITING_PAYMENT");
		assertThat(afterTimeout.next().get("status").asString()).isEqualTo("CONFIRMING");
	}

	/**
	 * For a customer, whose order it is must be known before the connection is accepted: when neither the
	 * projection nor order-service can say, the handshake is refused with 503 and Retry-After (a dependency
	 * failure: the client may try again), never accepted unchecked and never a 500.
	 */
	@Test
	void whenOrderServiceCannotAnswerACustomerIsRefusedWith503() throws Exception {
		UUID failing = UUID.randomUUID();
		orderService.answer(failing, new StandInOrderService.Status(503));

		try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + failing, customersToken())) {
			RawHandshake.Response response = handshake.response();
			assertThat(response.status()).isEqualTo(503);
			assertThat(response.head()).containsIgnoringCase("Content-Type: application/problem+json")
				.containsIgnoringCase("Retry-After: 5");
			assertThat(response.body()).contains("https://shop.example.com/problems/service-unavailable")
				.contains("\"status\":503");
		}
		assertThat(this.sessions.open()).isZero();
	}

	@Test
	void anOrderServiceThatKeepsFailingIsNoLongerAskedOnceTheBreakerOpens() throws Exception {
		CircuitBreaker breaker = this.breakers.circuitBreaker(OrderServiceClientConfiguration.BREAKER);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		try {
			int callsBefore = orderService.calls();
			// minimum-number-of-calls (5) failures, one call each: no retries.
			for (int i = 0; i < 5; i++) {
				UUID order = UUID.randomUUID();
				orderService.answer(order, new StandInOrderService.Status(500));
				connectAsAdmin(order).assertNothingFor(Duration.ofMillis(1));
			}
			assertThat(orderService.calls()).isEqualTo(callsBefore + 5);
			assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

			// Open: not asked at all, so an admin is accepted at once, even for an order order-service would deny...
			long started = System.nanoTime();
			StatusClient client = connectAsAdmin(UUID.randomUUID());
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
			assertThat(client.isOpen()).isTrue();
			// ...and a customer, whose order cannot be checked, is refused at once.
			started = System.nanoTime();
			try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + UUID.randomUUID(),
					customersToken())) {
				assertThat(handshake.response().status()).isEqualTo(503);
			}
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
			assertThat(orderService.calls()).isEqualTo(callsBefore + 5);
		}
		finally {
			breaker.reset();
		}
	}

	@Test
	void aMalformedOrderIdIsRefusedWith400AtTheHandshake() throws Exception {
		int callsBefore = orderService.calls();
		for (String bad : List.of("not-a-uuid", "1-2-3-4-5", "%20", UUID.randomUUID() + "x")) {
			try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + bad, customersToken())) {
				RawHandshake.Response response = handshake.response();
				assertThat(response.status()).as(bad).isEqualTo(400);
				assertThat(response.head()).containsIgnoringCase("Content-Type: application/problem+json");
				assertThat(response.body()).contains("https://shop.example.com/problems/bad-request")
					.contains("is not a UUID");
			}
		}
		assertThat(orderService.calls()).isEqualTo(callsBefore);
	}

	@Test
	void aPlainGetIsRefusedWith400() throws Exception {
		UUID order = UUID.randomUUID();
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, Instant.now()));
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/ws/orders/" + order))
						.header("Authorization", "Bearer " + customersToken())
						.timeout(Duration.ofSeconds(5))
						.build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(response.body()).contains("WebSocket");
		}
	}

	// ---- who may watch which order ----------------------------------------------------------------

	@Test
	void withoutATokenTheHandshakeIs401WithAChallenge() throws Exception {
		UUID order = UUID.randomUUID();
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, Instant.now()));
		int callsBefore = orderService.calls();

		try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + order)) {
			RawHandshake.Response response = handshake.response();
			assertThat(response.status()).isEqualTo(401);
			assertThat(response.head()).containsIgnoringCase("WWW-Authenticate: Bearer")
				.containsIgnoringCase("Content-Type: application/problem+json");
			assertThat(response.body()).contains("https://shop.example.com/problems/unauthorized");
		}
		assertThatThrownBy(() -> StatusClient.connect(this.webSockets, uri(order), new WebSocketHttpHeaders()))
			.isInstanceOf(ExecutionException.class);
		assertThat(this.sessions.open()).isZero();
		assertThat(orderService.calls()).isEqualTo(callsBefore);
	}

	/** A client that goes around the gateway is checked the same way: no token but a valid one of the realm. */
	@Test
	void aBadTokenIs401() throws Exception {
		UUID order = UUID.randomUUID();
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, Instant.now()));
		String subject = CUSTOMER.toString();
		for (String bad : List.of(tokens.token().subject(subject).roles("customer").signedByStranger().sign(),
				tokens.token().subject(subject).roles("customer")
					.issuedAt(Instant.now().minus(Duration.ofMinutes(10)))
					.expiresAt(Instant.now().minus(Duration.ofMinutes(2)))
					.sign(),
				tokens.token().subject(subject).roles("customer").unsigned(),
				tokens.token().subject(subject).roles("customer").audience("some-other-api").sign())) {
			try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + order, bad)) {
				RawHandshake.Response response = handshake.response();
				assertThat(response.status()).isEqualTo(401);
				assertThat(response.head()).containsIgnoringCase("WWW-Authenticate: Bearer error=\"invalid_token\"");
				assertThat(response.body()).doesNotContain(bad);
			}
		}
		assertThat(this.sessions.open()).isZero();
	}

	/** A service account's token (scopes, no role) may not watch orders. */
	@Test
	void aServiceTokenIs403() throws Exception {
		UUID order = UUID.randomUUID();
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, Instant.now()));
		try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + order,
				tokens.service("order-service", "orders.read"))) {
			RawHandshake.Response response = handshake.response();
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.body()).contains("https://shop.example.com/problems/forbidden");
		}
	}

	/**
	 * Someone else's order is refused exactly as an order that does not exist (status, type and wording), whether
	 * the projection knows whose it is or order-service has to be asked.
	 */
	@Test
	void anotherCustomersOrderIs404LikeAnUnknownOne() throws Exception {
		UUID someoneElse = UUID.randomUUID();
		UUID projected = UUID.randomUUID();
		publishAndAwaitProjection(OrderEvents.event("OrderPlaced", projected, someoneElse, "PENDING", null, Instant.now()));
		UUID atOrderService = UUID.randomUUID();
		orderService.answer(atOrderService,
				new StandInOrderService.Order("PENDING", null, Instant.now().toString(), someoneElse));
		UUID unknown = UUID.randomUUID();

		String forProjected = refusedAs404(projected);
		String forOrderService = refusedAs404(atOrderService);
		String forUnknown = refusedAs404(unknown);

		assertThat(forProjected.replace(projected.toString(), "<id>"))
			.isEqualTo(forUnknown.replace(unknown.toString(), "<id>"))
			.isEqualTo(forOrderService.replace(atOrderService.toString(), "<id>"));
		assertThat(this.sessions.open()).isZero();
		// Its owner, and an admin, are let in.
		StatusClient owner = connect(projected, tokens.customer(someoneElse.toString()));
		assertThat(owner.next().get("status").asString()).isEqualTo("PENDING");
		StatusClient admin = connectAsAdmin(atOrderService);
		assertThat(admin.next().get("status").asString()).isEqualTo("PENDING");
	}

	@Test
	void anAdminMayWatchAnyCustomersOrder() throws Exception {
		UUID order = UUID.randomUUID();
		Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		publishAndAwaitProjection(OrderEvents.event("OrderPlaced", order, UUID.randomUUID(), "PENDING", null, placed));
		int callsBefore = orderService.calls();

		StatusClient admin = connectAsAdmin(order);

		assertThat(admin.next().get("status").asString()).isEqualTo("PENDING");
		assertThat(orderService.calls()).as("the projection knew the order").isEqualTo(callsBefore);
	}

	/**
	 * A row of the projection that does not say whose order it is (an event without customerId, or a row from
	 * before the column): for a customer, order-service is asked; for an admin, the status is enough.
	 */
	@Test
	void anOrderWhoseCustomerTheProjectionDoesNotKnowIsCheckedAtOrderService() throws Exception {
		UUID order = UUID.randomUUID();
		Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		publishAndAwaitProjection(OrderEvents.event("OrderPlaced", order, null, "PENDING", null, placed));
		orderService.answer(order, new StandInOrderService.Order("PENDING", null, placed.toString(), CUSTOMER));
		int callsBefore = orderService.calls();

		StatusClient owner = connect(order);
		assertThat(owner.next().get("status").asString()).isEqualTo("PENDING");
		assertThat(orderService.calls()).isEqualTo(callsBefore + 1);
		refusedAs404(order, tokens.anyCustomer());
		connectAsAdmin(order).next();
		assertThat(orderService.calls()).as("asked for the customers only").isEqualTo(callsBefore + 2);
	}

	/**
	 * A browser offers the subprotocols {@code bearer, <jwt>} (it cannot set headers); the gateway turns the token
	 * into the Authorization header. Should {@code bearer} reach this service, it is chosen, so the handshake
	 * completes as the browser expects.
	 */
	@Test
	void theBearerSubprotocolIsChosenWhenOffered() throws Exception {
		UUID order = UUID.randomUUID();
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, Instant.now()));
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		headers.setBearerAuth(customersToken());
		headers.setSecWebSocketProtocol(List.of("bearer"));

		StatusClient client = StatusClient.connect(this.webSockets, uri(order), headers);
		this.opened.add(client);

		assertThat(client.acceptedProtocol()).isEqualTo("bearer");
		assertThat(client.next().get("status").asString()).isEqualTo("PENDING");
		assertThat(connect(order).acceptedProtocol()).as("none offered, none chosen").isEmpty();
	}

	/** Access lasts as long as the token: at its expiry the session is closed (1008), the client reconnects. */
	@Test
	void theSessionIsClosedWhenItsTokenExpires() throws Exception {
		UUID order = UUID.randomUUID();
		publishAndAwaitProjection(event("OrderPlaced", order, "PENDING", null, Instant.now()));
		String shortLived = tokens.token()
			.subject(CUSTOMER.toString())
			.roles("customer")
			.expiresAt(Instant.now().plusSeconds(5))
			.sign();

		StatusClient client = connect(order, shortLived);
		assertThat(client.next().get("status").asString()).isEqualTo("PENDING");

		await().atMost(Duration.ofSeconds(15)).until(() -> client.closedStatus() != null);
		assertThat(client.closedStatus().getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.sessions.open(order) == 0);
	}

	private String refusedAs404(UUID order) throws IOException {
		return refusedAs404(order, customersToken());
	}

	private String refusedAs404(UUID order, String token) throws IOException {
		try (RawHandshake handshake = RawHandshake.open(this.port, "/ws/orders/" + order, token)) {
			RawHandshake.Response response = handshake.response();
			assertThat(response.status()).as("order %s", order).isEqualTo(404);
			assertThat(response.head()).containsIgnoringCase("Content-Type: application/problem+json");
			assertThat(response.body()).contains("https://shop.example.com/problems/not-found");
			return response.body();
		}
	}

	/** Connects as {@link #CUSTOMER}, with a token of their own as the gateway forwards it. */
	private StatusClient connect(UUID order) throws Exception {
		return connect(order, customersToken());
	}

	private StatusClient connectAsAdmin(UUID order) throws Exception {
		return connect(order, tokens.admin());
	}

	private StatusClient connect(UUID order, String token) throws Exception {
		StatusClient client = StatusClient.connect(this.webSockets, uri(order), token);
		this.opened.add(client);
		return client;
	}

	private String uri(UUID order) {
		return "ws://127.0.0.1:" + this.port + "/ws/orders/" + order;
	}

	/** A fresh token of {@link #CUSTOMER} (valid 5 minutes: a session ends when its token does). */
	private static String customersToken() {
		return tokens.customer(CUSTOMER.toString());
	}

	private double openSessionsGauge() {
		return this.meters.get("notification.websocket.sessions").gauge().value();
	}

	/**
	 * The feed's consumer group is new at every start and begins at the end of the topic, so an event published
	 * before it has its partitions and positions is not seen. Publishes events of a probe order until one reaches
	 * the projection; from then on every event does.
	 */
	private void awaitFeedLive() {
		UUID probe = UUID.randomUUID();
		Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Instant deadline = Instant.now().plusSeconds(60);
		while (Instant.now().isBefore(deadline)) {
			at = at.plusSeconds(1);
			publish(event("OrderPlaced", probe, "PENDING", null, at));
			Instant sent = at;
			try {
				await().atMost(Duration.ofMillis(500))
					.until(() -> this.projection.find(probe).filter(found -> !found.at().isBefore(sent)).isPresent());
				return;
			}
			catch (org.awaitility.core.ConditionTimeoutException ex) {
				// Not reading yet: publish another.
			}
		}
		throw new AssertionError("the live status feed did not start within 60 s");
	}

	private void publishAndAwaitProjection(MessageEnvelope event) {
		publish(event);
		UUID order = UUID.fromString(event.correlationId());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.projection.find(order).isPresent());
	}

	private void publish(MessageEnvelope event) {
		this.sender.send(this.properties.orderEventsTopic(), event);
	}

	/** An event of an order of {@link #CUSTOMER}. */
	private static MessageEnvelope event(String type, UUID order, String status, String reason, Instant at) {
		return OrderEvents.event(type, order, CUSTOMER, status, reason, at);
	}

	private static Map<String, Object> payload(UUID order, String status, String reason, Instant at) {
		return OrderEvents.payload(order, CUSTOMER, status, reason, at);
	}

	private static TokenEndpointStandIn startRealm() {
		try {
			return new TokenEndpointStandIn();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static StandInOrderService startOrderService() {
		try {
			return new StandInOrderService();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
