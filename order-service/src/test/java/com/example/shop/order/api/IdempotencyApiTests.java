package com.example.shop.order.api;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.example.shop.order.idempotency.RequestFingerprint;
import com.example.shop.order.PlaceOrder;
import com.example.shop.order.support.Callers;
import com.example.shop.order.support.Database;
import com.example.shop.order.support.GrpcPeers;
import com.example.shop.order.support.OrderRequests;
import com.example.shop.order.support.OrderServiceTest;
import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.example.shop.order.support.TestCatalogServer.BOOK;
import static com.example.shop.order.support.TestCatalogServer.MUG;
import static com.example.shop.order.support.TestCatalogServer.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Idempotency-Key of POST /api/orders (docs/api.md): one order per key and customer, whatever is repeated
 * when; the same key from two customers is two keys.
 */
@OrderServiceTest
class IdempotencyApiTests {

	@DynamicPropertySource
	static void grpcPeers(DynamicPropertyRegistry registry) {
		GrpcPeers.register(registry);
		registry.add("shop.messaging.outbox.relay-enabled", () -> false);
	}

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	Database db;

	@BeforeEach
	void setUp() {
		GrpcPeers.reset();
		this.db = new Database(this.jdbc);
	}

	@AfterEach
	void releaseHeldCalls() {
		GrpcPeers.catalog().release();
	}

	@Test
	void theSameKeyAndBodyAgainAnswersTheSameOrderWith200AndNeverMakesASecond() {
		String key = UUID.randomUUID().toString();
		String customer = OrderRequests.newCustomer();
		String body = OrderRequests.order(customer, "tok_ok", BOOK, 2, MUG, 1);
		EntityExchangeResult<String> first = post(customer, key, body).expectStatus().isAccepted().expectBody(String.class).returnResult();
		// Same request, formatted differently and with an upper-case id: still the same request.
		String reformatted = "{ \"payment\": {\"token\": \"tok_ok\"}, \"items\": [ {\"quantity\": 2, \"productId\": \""
				+ BOOK.toString().toUpperCase() + "\"}, {\"productId\": \"" + MUG + "\", \"quantity\": 1} ], "
				+ "\"customerEmail\": \"ada@example.com\", \"customerId\": \"" + customer + "\" }";
		EntityExchangeResult<String> second = post(customer, key, reformatted).expectStatus().isOk().expectBody(String.class).returnResult();

		assertThat(id(second.getResponseBody())).isEqualTo(id(first.getResponseBody()));
		assertThat(second.getResponseHeaders().getFirst(HttpHeaders.LOCATION))
			.isEqualTo(first.getResponseHeaders().getFirst(HttpHeaders.LOCATION));
		assertThat(ordersOf(customer)).isEqualTo(1);
		assertThat(this.db.outboxTypes(id(first.getResponseBody()))).hasSize(2);
		assertThat(GrpcPeers.catalog().calls()).as("a replay is answered from the database").isEqualTo(1);
	}

	@Test
	void theSameKeyWithAnotherBodyIs422() {
		String key = UUID.randomUUID().toString();
		String customer = OrderRequests.newCustomer();
		post(customer, key, OrderRequests.order(customer, "tok_ok", BOOK, 2)).expectStatus().isAccepted();
		post(customer, key, OrderRequests.order(customer, "tok_ok", BOOK, 3)).expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").value(String.class, (d) -> assertThat(d).contains("Idempotency-Key"));
		assertThat(ordersOf(customer)).isEqualTo(1);
	}

	@Test
	void theSameKeyWhileTheFirstRequestIsInFlightIs409ThenTheOrder() throws Exception {
		String key = UUID.randomUUID().toString();
		String customer = OrderRequests.newCustomer();
		String body = OrderRequests.order(customer, "tok_ok", BOOK, 1);
		GrpcPeers.catalog().holdCalls();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<EntityExchangeResult<String>> first = executor
				.submit(() -> post(customer, key, body).expectBody(String.class).returnResult());
			assertThat(GrpcPeers.catalog().awaitHeldCall(10, TimeUnit.SECONDS)).isTrue();

			post(customer, key, body).expectStatus()
				.isEqualTo(409)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/conflict");
			// Another body with the key in flight is still "another body".
			post(customer, key, OrderRequests.order(customer, "tok_ok", BOOK, 9)).expectStatus().isEqualTo(422);

			GrpcPeers.catalog().release();
			EntityExchangeResult<String> placed = first.get(10, TimeUnit.SECONDS);
			assertThat(placed.getStatus().value()).isEqualTo(202);
			EntityExchangeResult<String> replay = post(customer, key, body).expectStatus().isOk().expectBody(String.class).returnResult();
			assertThat(id(replay.getResponseBody())).isEqualTo(id(placed.getResponseBody()));
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(ordersOf(customer)).isEqualTo(1);
	}

	@Test
	void twentyConcurrentRepeatsMakeExactlyOneOrderAndOneSaga() throws Exception {
		String key = UUID.randomUUID().toString();
		String customer = OrderRequests.newCustomer();
		String body = OrderRequests.order(customer, "tok_ok", BOOK, 1, MUG, 2);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<EntityExchangeResult<String>>> answers = new ArrayList<>();
		try (ExecutorService executor = Executors.newFixedThreadPool(20)) {
			for (int i = 0; i < 20; i++) {
				answers.add(executor.submit((Callable<EntityExchangeResult<String>>) () -> {
					start.await();
					return post(customer, key, body).expectBody(String.class).returnResult();
				}));
			}
			start.countDown();
			List<UUID> orderIds = new ArrayList<>();
			int created = 0;
			for (Future<EntityExchangeResult<String>> answer : answers) {
				EntityExchangeResult<String> result = answer.get(30, TimeUnit.SECONDS);
				int status = result.getStatus().value();
				assertThat(status).as(result.getResponseBody()).isIn(200, 202, 409);
				if (status == 202) {
					created++;
				}
				if (status != 409) {
					orderIds.add(id(result.getResponseBody()));
				}
			}
			assertThat(created).isEqualTo(1);
			assertThat(orderIds).isNotEmpty().allMatch(orderIds.getFirst()::equals);
		}
		assertThat(ordersOf(customer)).isEqualTo(1);
		UUID orderId = this.jdbc.sql("SELECT id FROM customer_order WHERE customer_id = :c")
			.param("c", UUID.fromString(customer))
			.query(UUID.class)
			.single();
		// One saga: one ReserveStock, one OrderPlaced.
		assertThat(this.db.outboxTypes(orderId)).containsExactlyInAnyOrder("ReserveStock", "OrderPlaced");
	}

	@Test
	void aFailedFirstAttemptReleasesTheKeySoTheSameRequestCanSucceedLater() {
		String key = UUID.randomUUID().toString();
		String customer = OrderRequests.newCustomer();
		String body = OrderRequests.order(customer, "tok_ok", BOOK, 1);
		GrpcPeers.catalog().failNext(Status.UNAVAILABLE, Status.UNAVAILABLE, Status.UNAVAILABLE);
		post(customer, key, body).expectStatus().isEqualTo(503);
		post(customer, key, body).expectStatus().isAccepted();
		post(customer, key, body).expectStatus().isOk();

		String unknown = OrderRequests.order(customer, "tok_ok", UNKNOWN, 1);
		String otherKey = UUID.randomUUID().toString();
		post(customer, otherKey, unknown).expectStatus().isEqualTo(422);
		post(customer, otherKey, unknown).expectStatus().isEqualTo(422);
		assertThat(ordersOf(customer)).isEqualTo(1);
	}

	@Test
	void aClaimAbandonedByACrashedInstanceIsTakenOverAfterTheTimeout() {
		String customer = OrderRequests.newCustomer();
		String body = OrderRequests.order(customer, "tok_ok", BOOK, 1);
		String hash = RequestFingerprint.of(new PlaceOrder(UUID.fromString(customer), "ada@example.com",
				List.of(new PlaceOrder.Item(BOOK, 1)), "tok_ok").canonical());
		String recent = UUID.randomUUID().toString();
		String abandoned = UUID.randomUUID().toString();
		claim(customer, recent, hash, Instant.now().minusSeconds(5));
		claim(customer, abandoned, hash, Instant.now().minusSeconds(31));
		// The same key left in flight by another customer is theirs, and no reason to wait.
		String fresh = UUID.randomUUID().toString();
		claim(OrderRequests.newCustomer(), fresh, hash, Instant.now());
		post(customer, fresh, body).expectStatus().isAccepted();

		post(customer, recent, body).expectStatus().isEqualTo(409);
		post(customer, abandoned, body).expectStatus().isAccepted();
		post(customer, abandoned, body).expectStatus().isOk();
		assertThat(ordersOf(customer)).isEqualTo(2);
	}

	@Test
	void anInvalidKeyIs400() {
		for (String key : new String[] { "k".repeat(201), "with space", "quote\"and space" }) {
			post(OrderRequests.CUSTOMER, key, OrderRequests.bookAndMug()).expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
		}
		String customer = OrderRequests.newCustomer();
		post(customer, "k".repeat(200), OrderRequests.order(customer, "tok_ok", BOOK, 1)).expectStatus().isAccepted();
	}

	@Test
	void twoCustomersWithTheSameKeyGetAnOrderEachAndNeverTheOthers() {
		String key = UUID.randomUUID().toString();
		String ada = OrderRequests.newCustomer();
		String bob = OrderRequests.newCustomer();
		// Byte for byte the same request (no customerId in it): only the tokens differ.
		String body = OrderRequests.order(null, "tok_ok", BOOK, 1);
		EntityExchangeResult<String> adas = post(ada, key, body).expectStatus().isAccepted().expectBody(String.class)
			.returnResult();
		EntityExchangeResult<String> bobs = post(bob, key, body).expectStatus().isAccepted().expectBody(String.class)
			.returnResult();
		assertThat(id(bobs.getResponseBody())).isNotEqualTo(id(adas.getResponseBody()));
		assertThat(this.json.readTree(bobs.getResponseBody()).get("customerId").asString()).isEqualTo(bob);

		// Each one's repeat is their own order.
		assertThat(id(post(ada, key, body).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()))
			.isEqualTo(id(adas.getResponseBody()));
		assertThat(id(post(bob, key, body).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody()))
			.isEqualTo(id(bobs.getResponseBody()));
		// A third customer's other body with the key is a new order too, not "another body for this key" (422).
		String carol = OrderRequests.newCustomer();
		post(carol, key, OrderRequests.order(carol, "tok_ok", MUG, 3)).expectStatus().isAccepted();
		assertThat(ordersOf(ada)).isEqualTo(1);
		assertThat(ordersOf(bob)).isEqualTo(1);
		assertThat(ordersOf(carol)).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM idempotency_key WHERE idempotency_key = :key")
			.param("key", key)
			.query(Long.class)
			.single()).as("one key per customer").isEqualTo(3);
	}

	private void claim(String customer, String key, String hash, Instant claimedAt) {
		this.jdbc.sql("INSERT INTO idempotency_key (customer_id, idempotency_key, request_hash, status, claim_id, "
				+ "claimed_at) VALUES (:customer, :key, :hash, 'IN_FLIGHT', :claim, :at)")
			.param("customer", UUID.fromString(customer))
			.param("key", key)
			.param("hash", hash)
			.param("claim", UUID.randomUUID())
			.param("at", Timestamp.from(claimedAt))
			.update();
	}

	private long ordersOf(String customer) {
		return this.jdbc.sql("SELECT count(*) FROM customer_order WHERE customer_id = :c")
			.param("c", UUID.fromString(customer))
			.query(Long.class)
			.single();
	}

	private UUID id(String body) {
		JsonNode node = this.json.readTree(body);
		return UUID.fromString(node.get("id").asString());
	}

	/** POST /api/orders as {@code customer} (the token's subject). */
	private RestTestClient.ResponseSpec post(String customer, String key, String body) {
		return this.client.post()
			.uri("/api/orders")
			.headers(Callers.customer(customer))
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", key)
			.body(body)
			.exchange();
	}

}
