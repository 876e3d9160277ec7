package com.example.shop.order.api;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import com.example.shop.order.support.Callers;
import com.example.shop.order.support.Database;
import com.example.shop.order.support.GrpcPeers;
import com.example.shop.order.support.OrderRequests;
import com.example.shop.order.support.OrderServiceTest;
import com.example.shop.order.support.TestCatalogServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static com.example.shop.order.support.TestCatalogServer.BOOK;
import static com.example.shop.order.support.TestCatalogServer.IMPORTED;
import static com.example.shop.order.support.TestCatalogServer.KETTLE;
import static com.example.shop.order.support.TestCatalogServer.LAMP;
import static com.example.shop.order.support.TestCatalogServer.MUG;
import static com.example.shop.order.support.TestCatalogServer.UNKNOWN;
import static com.example.shop.order.support.TestCatalogServer.YACHT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/orders over real HTTP: pricing from the (test) catalog over gRPC, the availability check against
 * the (test) inventory over gRPC, and every way a request can be refused, each storing nothing.
 */
@OrderServiceTest
class PlaceOrderApiTests {

	@DynamicPropertySource
	static void grpcPeers(DynamicPropertyRegistry registry) {
		GrpcPeers.register(registry);
		// Messages stay in the outbox, where this class looks at them; the saga tests cover their delivery.
		registry.add("shop.messaging.outbox.relay-enabled", () -> false);
	}

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	Database db;

	@BeforeEach
	void setUp() {
		GrpcPeers.reset();
		this.circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
		this.db = new Database(this.jdbc);
		this.jdbc.sql("DELETE FROM outbox_message").update();
		this.jdbc.sql("DELETE FROM idempotency_key").update();
		this.jdbc.sql("DELETE FROM customer_order").update();
	}

	@AfterEach
	void releaseHeldCalls() {
		GrpcPeers.catalog().release();
		GrpcPeers.inventory().release();
	}

	@Test
	void anOrderIsAcceptedPricedFromTheCatalogAndStoredPendingWithItsFirstMessages() {
		double placed = this.meters.counter("orders.placed").count();
		String location = this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.bookAndMug())
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.value(HttpHeaders.LOCATION, (value) -> assertThat(value).matches("/api/orders/[0-9a-f-]{36}"))
			.expectBody()
			.jsonPath("$.status").isEqualTo("PENDING")
			.jsonPath("$.cancellationReason").isEmpty()
			.jsonPath("$.customerId").isEqualTo(OrderRequests.CUSTOMER)
			.jsonPath("$.customerEmail").isEqualTo("ada@example.com")
			.jsonPath("$.currency").isEqualTo("EUR")
			.jsonPath("$.total").isEqualTo(93.05)
			.jsonPath("$.items.length()").isEqualTo(2)
			.jsonPath("$.items[0].productId").isEqualTo(BOOK.toString())
			.jsonPath("$.items[0].sku").isEqualTo("BOOK-0001")
			.jsonPath("$.items[0].name").isEqualTo("The Pragmatic Programmer")
			.jsonPath("$.items[0].unitPrice").isEqualTo(42.90)
			.jsonPath("$.items[0].quantity").isEqualTo(2)
			.jsonPath("$.items[0].lineTotal").isEqualTo(85.80)
			.jsonPath("$.items[1].lineTotal").isEqualTo(7.25)
			.jsonPath("$.payment").doesNotExist()
			.jsonPath("$.createdAt").value(String.class, (t) -> assertThat(t).endsWith("Z"))
			.returnResult()
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);

		// Exactly two decimals on the wire, never a float.
		String body = this.client.get().uri(location).headers(asCustomer()).exchange().expectStatus().isOk()
			.expectBody(String.class).returnResult().getResponseBody();
		assertThat(body).contains("\"total\":93.05", "\"unitPrice\":42.90", "\"lineTotal\":85.80",
				"\"unitPrice\":7.25");

		UUID id = UUID.fromString(location.substring("/api/orders/".length()));
		assertThat(this.db.outboxTypes(id)).containsExactlyInAnyOrder("ReserveStock", "OrderPlaced");
		assertThat(GrpcPeers.catalog().calls()).as("one catalog call per order").isEqualTo(1);
		assertThat(GrpcPeers.inventory().calls()).isEqualTo(1);
		// The token is used once (AuthorizePayment) and never shown.
		assertThat(body).doesNotContain("tok_ok");
		assertThat(this.meters.counter("orders.placed").count()).isEqualTo(placed + 1);
	}

	@Test
	void totalsAreExactDecimalArithmetic() {
		// 0.10 x 3 is 0.30, not 0.30000000000000004.
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(KETTLE, 3))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("\"total\":0.30", "\"lineTotal\":0.30"));
	}

	// ---- who orders: the token's subject ----------------------------------------------------------

	@Test
	void theCustomerIsTheTokensSubjectWhenTheBodyNamesNone() {
		String customer = OrderRequests.newCustomer();
		this.client.post()
			.uri("/api/orders")
			.headers(Callers.customer(customer))
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(null, "tok_ok", BOOK, 1))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.customerId").isEqualTo(customer)
			.jsonPath("$.customerEmail").isEqualTo("ada@example.com");
	}

	@Test
	void aBodyNamingAnotherCustomerIs403AndStoresNothing() {
		String someoneElse = OrderRequests.newCustomer();
		post(OrderRequests.order(someoneElse, "tok_ok", BOOK, 1)).expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden")
			.jsonPath("$.status").isEqualTo(403)
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains("customerId"));
		// Only the case of the letters differs: the same customer.
		post(OrderRequests.order(OrderRequests.CUSTOMER.toUpperCase(), "tok_ok", BOOK, 1)).expectStatus().isAccepted();
		assertThat(this.db.orders()).isEqualTo(1);
		assertThat(GrpcPeers.catalog().calls()).as("refused before pricing").isEqualTo(1);
	}

	@Test
	void withoutAnEmailInTheBodyTheTokensIsUsedAndWithoutEitherItIs400() {
		String customer = OrderRequests.newCustomer();
		String withoutEmail = OrderRequests.order(null, "tok_ok", BOOK, 1)
			.replace("\"customerEmail\":\"ada@example.com\",", "");
		this.client.post()
			.uri("/api/orders")
			.headers(Callers.customer(customer))
			.contentType(MediaType.APPLICATION_JSON)
			.body(withoutEmail)
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.customerEmail").isEqualTo(customer + "@example.com");

		String tokenWithoutEmail = Callers.tokens().token().subject(customer).roles("customer").sign();
		this.client.post()
			.uri("/api/orders")
			.headers(Callers.bearer(tokenWithoutEmail))
			.contentType(MediaType.APPLICATION_JSON)
			.body(withoutEmail)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.errors[0].field").isEqualTo("customerEmail");
		// The body's address serves a token without one.
		this.client.post()
			.uri("/api/orders")
			.headers(Callers.bearer(tokenWithoutEmail))
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(null, "tok_ok", BOOK, 1))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.customerEmail").isEqualTo("ada@example.com");
		assertThat(this.db.orders()).isEqualTo(2);
	}

	// ---- invalid bodies: 400, nothing stored ------------------------------------------------------

	@Test
	void anOrderWithoutItemsIs400() {
		assertInvalid(OrderRequests.order(), "items");
		assertInvalid("""
				{"customerId":"%s","customerEmail":"ada@example.com","payment":{"token":"tok_ok"}}"""
			.formatted(OrderRequests.CUSTOMER), "items");
	}

	@Test
	void moreThanFiftyLinesIs400() {
		Object[] items = new Object[51 * 2];
		for (int i = 0; i < 51; i++) {
			items[2 * i] = UUID.randomUUID();
			items[2 * i + 1] = 1;
		}
		assertInvalid(OrderRequests.order(items), "items");
	}

	@Test
	void aQuantityOutside1To1000Is400NamingTheLine() {
		assertInvalid(OrderRequests.order(BOOK, 1, MUG, 0), "items[1].quantity");
		assertInvalid(OrderRequests.order(BOOK, -3), "items[0].quantity");
		assertInvalid(OrderRequests.order(BOOK, 1001), "items[0].quantity");
		assertInvalid(OrderRequests.order(BOOK, "\"two\""), "items[0].quantity");
		assertInvalid(OrderRequests.order(BOOK, "null"), "items[0].quantity");
	}

	@Test
	void twoLinesForOneProductAre400NamingTheRepeat() {
		assertInvalid(OrderRequests.order(BOOK, 1, MUG, 1, BOOK.toString().toUpperCase(), 2), "items[2].productId");
	}

	@Test
	void aMissingOrBlankPaymentTokenIs400() {
		assertInvalid("""
				{"customerId":"%s","customerEmail":"ada@example.com","items":[{"productId":"%s","quantity":1}]}"""
			.formatted(OrderRequests.CUSTOMER, BOOK), "payment");
		assertInvalid(OrderRequests.order(OrderRequests.CUSTOMER, " ", BOOK, 1), "payment.token");
		assertInvalid(OrderRequests.order(OrderRequests.CUSTOMER, "", BOOK, 1), "payment.token");
	}

	@Test
	void anInvalidEmailIs400() {
		for (String email : new String[] { "ada", "ada@", "ada@example", "@example.com", "" }) {
			assertInvalid(OrderRequests.bookAndMug().replace("ada@example.com", email), "customerEmail");
		}
	}

	@Test
	void idsThatAreNotUuidsAre400NamingEachField() {
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order("42", "tok_ok", "1-2-3-4-5", 1, "not-a-uuid", 1))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.errors[*].field").value((fields) -> assertThat(fields.toString())
				.contains("customerId", "items[0].productId", "items[1].productId"));
		assertNothingStored();
	}

	@Test
	void malformedJsonIs400() {
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"customerId\": ")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/malformed-request")
			.jsonPath("$.instance").isEqualTo("/api/orders");
		assertNothingStored();
	}

	@Test
	void aBodyThatIsNotJsonIs415() {
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.TEXT_PLAIN)
			.body(OrderRequests.bookAndMug())
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertNothingStored();
	}

	@Test
	void aBodyAbove64KbIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
		String huge = OrderRequests.bookAndMug().replace("ada@example.com", "a".repeat(70_000) + "@example.com");
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(huge)
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/payload-too-large")
			.jsonPath("$.status").isEqualTo(413)
			.jsonPath("$.instance").isEqualTo("/api/orders");

		// Chunked: no Content-Length, the size shows only while reading.
		try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/orders"))
				.header("Content-Type", "application/json")
				.header(HttpHeaders.AUTHORIZATION, Callers.bearerOf(OrderRequests.CUSTOMER))
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes())))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(413);
			assertThat(response.body()).contains("payload-too-large");

			// A small chunked body still goes through.
			HttpResponse<String> small = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/orders"))
				.header("Content-Type", "application/json")
				.header(HttpHeaders.AUTHORIZATION, Callers.bearerOf(OrderRequests.CUSTOMER))
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(OrderRequests.bookAndMug().getBytes())))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(small.statusCode()).isEqualTo(202);
		}
		assertThat(this.db.orders()).isEqualTo(1);
	}

	// ---- refused by the catalog: 422, nothing stored ------------------------------------------------

	@Test
	void unknownProductsAre422ListingThem() {
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(BOOK, 1, UNKNOWN, 2))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/unprocessable")
			.jsonPath("$.title").isEqualTo("Unknown products")
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains(UNKNOWN.toString()))
			.jsonPath("$.errors[0].field").isEqualTo("items[1].productId");
		assertNothingStored();
	}

	@Test
	void productsInDifferentCurrenciesAre422() {
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(BOOK, 1, IMPORTED, 1))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.title").isEqualTo("Mixed currencies")
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains("EUR", "USD"));
		assertNothingStored();
	}

	@Test
	void aTotalBeyondWhatAnOrderHoldsIs422() {
		Object[] items = new Object[2 * 11];
		for (int i = 0; i < 11; i++) {
			UUID id = UUID.randomUUID();
			GrpcPeers.catalog().put(id, "BOAT-" + i, "Yacht " + i, "999999.99", "EUR");
			items[2 * i] = id;
			items[2 * i + 1] = 1000;
		}
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(items))
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.title").isEqualTo("Order total too large");
		assertNothingStored();
		// The most expensive single line still fits.
		this.client.post()
			.uri("/api/orders")
			.headers(asCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(YACHT, 1000))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.total").isEqualTo(999999990.00);
	}

	// ---- the catalog cannot answer: 503, nothing stored; retried and broken -------------------------

	@Test
	void aCatalogThatFailsTransientlyIsAskedAgain() {
		GrpcPeers.catalog().failNext(Status.UNAVAILABLE, Status.UNAVAILABLE);
		post(OrderRequests.bookAndMug()).expectStatus().isAccepted();
		assertThat(GrpcPeers.catalog().calls()).isEqualTo(3);
	}

	@Test
	void aCatalogThatCannotAnswerIs503AndNothingIsStored() {
		GrpcPeers.catalog().failNext(Status.UNAVAILABLE, Status.UNAVAILABLE, Status.UNAVAILABLE);
		post(OrderRequests.bookAndMug()).expectStatus()
			.isEqualTo(503)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/service-unavailable")
			.jsonPath("$.instance").isEqualTo("/api/orders");
		assertThat(GrpcPeers.catalog().calls()).as("three attempts").isEqualTo(3);
		assertNothingStored();
	}

	@Test
	void aCatalogRefusingTheRequestIsNotRetried() {
		GrpcPeers.catalog().failNext(Status.INVALID_ARGUMENT);
		post(OrderRequests.bookAndMug()).expectStatus().isEqualTo(500);
		assertThat(GrpcPeers.catalog().calls()).isEqualTo(1);
		assertNothingStored();
	}

	@Test
	void aCatalogTooSlowForItsDeadlineCounts503() {
		GrpcPeers.catalog().holdCalls();
		long started = System.nanoTime();
		post(OrderRequests.bookAndMug()).expectStatus().isEqualTo(503);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		// 3 attempts of 1 s plus backoff: the client never waits on the catalog for long.
		assertThat(took).isBetween(Duration.ofMillis(3000), Duration.ofMillis(4500));
		assertNothingStored();
	}

	@Test
	void aCatalogThatKeepsFailingOpensTheBreakerAndOrdersFailFastWithoutCallingIt() {
		for (int i = 0; i < 10; i++) {
			GrpcPeers.catalog().failNext(Status.UNAVAILABLE, Status.UNAVAILABLE, Status.UNAVAILABLE);
			post(OrderRequests.bookAndMug()).expectStatus().isEqualTo(503);
			if (this.circuitBreakers.circuitBreaker("catalog").getState() == CircuitBreaker.State.OPEN) {
				break;
			}
		}
		assertThat(this.circuitBreakers.circuitBreaker("catalog").getState()).isEqualTo(CircuitBreaker.State.OPEN);
		int calls = GrpcPeers.catalog().calls();
		post(OrderRequests.bookAndMug()).expectStatus().isEqualTo(503);
		assertThat(GrpcPeers.catalog().calls()).as("no call while open").isEqualTo(calls);
		assertNothingStored();
	}

	// ---- the availability check ---------------------------------------------------------------------

	@Test
	void stockKnownToBeShortIs409ListingTheShortLines() {
		GrpcPeers.inventory().setAvailable(MUG, 3);
		GrpcPeers.inventory().setAvailable(LAMP, 0);
		post(OrderRequests.order(BOOK, 1, MUG, 5, LAMP, 1)).expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/conflict")
			.jsonPath("$.title").isEqualTo("Insufficient stock")
			.jsonPath("$.errors.length()").isEqualTo(2)
			.jsonPath("$.errors[0].field").isEqualTo("items[1].quantity")
			.jsonPath("$.errors[0].message").value(String.class, (m) -> assertThat(m).contains("requested 5", "available 3"))
			.jsonPath("$.errors[1].field").isEqualTo("items[2].quantity");
		assertNothingStored();
	}

	@Test
	void withoutAnAnswerFromInventoryTheOrderIsAcceptedAndTheSkipCounted() {
		double deadline = skipped("deadline");
		GrpcPeers.inventory().answerAfter(Duration.ofMillis(800));
		// Signed before the clock starts: only the service's time is measured.
		Consumer<HttpHeaders> customer = asCustomer();
		long started = System.nanoTime();
		post(OrderRequests.bookAndMug(), customer).expectStatus().isAccepted();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the 300 ms deadline")
			.isLessThan(Duration.ofMillis(780));
		assertThat(skipped("deadline")).isEqualTo(deadline + 1);

		double unavailable = skipped("unavailable");
		GrpcPeers.inventory().answerAfter(Duration.ZERO);
		GrpcPeers.inventory().failWith(Status.UNAVAILABLE);
		post(OrderRequests.bookAndMug()).expectStatus().isAccepted();
		assertThat(skipped("unavailable")).isEqualTo(unavailable + 1);

		double open = skipped("circuit_open");
		this.circuitBreakers.circuitBreaker("inventory").transitionToForcedOpenState();
		int calls = GrpcPeers.inventory().calls();
		post(OrderRequests.bookAndMug()).expectStatus().isAccepted();
		assertThat(skipped("circuit_open")).isEqualTo(open + 1);
		assertThat(GrpcPeers.inventory().calls()).isEqualTo(calls);
		assertThat(this.db.orders()).isEqualTo(3);
	}

	private double skipped(String why) {
		return this.meters.counter("inventory.check.skipped", "why", why).count();
	}

	private RestTestClient.ResponseSpec post(String body) {
		return post(body, asCustomer());
	}

	private RestTestClient.ResponseSpec post(String body, Consumer<HttpHeaders> authorization) {
		return this.client.post()
			.uri("/api/orders")
			.headers(authorization)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange();
	}

	private static Consumer<HttpHeaders> asCustomer() {
		return Callers.customer(OrderRequests.CUSTOMER);
	}

	private void assertInvalid(String body, String field) {
		post(body).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.instance").isEqualTo("/api/orders")
			.jsonPath("$.errors[*].field").value((fields) -> assertThat(fields.toString()).contains(field));
		assertNothingStored();
		assertThat(GrpcPeers.catalog().calls()).as("refused before pricing").isZero();
	}

	private void assertNothingStored() {
		assertThat(this.db.orders()).isZero();
		assertThat(this.db.outboxMessages()).isZero();
		assertThat(this.db.idempotencyKeys()).isZero();
	}

}
