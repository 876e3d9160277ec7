package com.example.shop.order.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.example.shop.order.support.Callers;
import com.example.shop.order.support.Database;
import com.example.shop.order.support.GrpcPeers;
import com.example.shop.order.support.OrderRequests;
import com.example.shop.order.support.OrderServiceTest;
import com.example.shop.testsupport.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static com.example.shop.order.support.TestCatalogServer.BOOK;
import static com.example.shop.order.support.TestCatalogServer.MUG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what with orders, called directly (as a request that went around the gateway would be): no or a bad
 * token is 401, a missing role 403, another customer's order 404 exactly as an unknown one; admins reach every
 * customer's orders, notification-service's service account reads single orders and nothing else.
 */
@OrderServiceTest
class OrderAccessApiTests {

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

	String ada;

	String bob;

	@BeforeEach
	void setUp() {
		GrpcPeers.reset();
		this.db = new Database(this.jdbc);
		this.ada = OrderRequests.newCustomer();
		this.bob = OrderRequests.newCustomer();
	}

	// ---- 401: no token, or one that is not accepted ------------------------------------------------

	@Test
	void everyEndpointWithoutATokenIs401WithAChallengeAndStoresNothing() {
		UUID adas = place(this.ada, BOOK);
		long orders = this.db.orders();
		long outbox = this.db.outboxMessages();
		for (Request request : everyEndpoint(adas)) {
			request.send(this.client, (headers) -> {
			})
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE,
						(challenge) -> assertThat(challenge).as(request.toString()).startsWith("Bearer"))
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.status").isEqualTo(401)
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/unauthorized");
		}
		assertThat(this.db.orders()).isEqualTo(orders);
		assertThat(this.db.outboxMessages()).as("nothing cancelled").isEqualTo(outbox);
		assertThat(this.db.status(adas)).isEqualTo("PENDING");
	}

	@Test
	void aBadTokenIs401EvenForTheOrdersOwner() {
		UUID adas = place(this.ada, BOOK);
		List<String> badTokens = List.of(
				token(this.ada).expiresAt(Instant.now().minus(Duration.ofMinutes(2)))
					.issuedAt(Instant.now().minus(Duration.ofMinutes(10)))
					.sign(),
				token(this.ada).signedByStranger().sign(), token(this.ada).audience("some-other-api").sign(),
				token(this.ada).issuer("http://127.0.0.1:1/realms/shop").sign(), token(this.ada).unsigned(),
				token(this.ada).signedWithPublicKeyAsHmacSecret(), "not.a.jwt");
		for (String bad : badTokens) {
			for (Request request : everyEndpoint(adas)) {
				request.send(this.client, Callers.bearer(bad))
					.expectStatus()
					.isUnauthorized()
					.expectHeader()
					.value(HttpHeaders.WWW_AUTHENTICATE, (challenge) -> assertThat(challenge).as(request.toString())
						.startsWith("Bearer error=\"invalid_token\""))
					.expectHeader()
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.expectBody(String.class)
					.value((body) -> assertThat(body).contains("\"status\":401").doesNotContain(bad));
			}
		}
		assertThat(this.db.status(adas)).isEqualTo("PENDING");
	}

	// ---- 403: a valid token without the role or scope ---------------------------------------------

	@Test
	void aCustomerOnTheAdminEndpointsIs403() {
		UUID someId = UUID.randomUUID();
		for (Request request : List.of(new Request(HttpMethod.GET, "/admin/dead-letters"),
				new Request(HttpMethod.GET, "/admin/dead-letters/" + someId),
				new Request(HttpMethod.POST, "/admin/dead-letters/" + someId + "/replay"),
				new Request(HttpMethod.DELETE, "/admin/dead-letters/" + someId))) {
			request.send(this.client, Callers.customer(this.ada))
				.expectStatus()
				.isForbidden()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden");
		}
		this.client.get().uri("/admin/dead-letters").headers(Callers.admin()).exchange().expectStatus().isOk();
	}

	@Test
	void aServiceAccountWithOrdersReadReadsAnyOneOrderAndNothingElse() {
		UUID adas = place(this.ada, BOOK);
		Consumer<HttpHeaders> notificationService = Callers.service("notification-service", "orders.read");
		this.client.get()
			.uri("/api/orders/{id}", adas)
			.headers(notificationService)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id").isEqualTo(adas.toString())
			.jsonPath("$.customerId").isEqualTo(this.ada);
		this.client.get().uri("/api/orders/{id}", UUID.randomUUID()).headers(notificationService).exchange()
			.expectStatus().isNotFound();

		for (Request request : List.of(new Request(HttpMethod.GET, "/api/orders"),
				new Request(HttpMethod.POST, "/api/orders"), new Request(HttpMethod.POST, "/api/orders/" + adas + "/cancel"),
				new Request(HttpMethod.GET, "/admin/dead-letters"))) {
			request.send(this.client, notificationService).expectStatus().isForbidden();
		}
		// Without the scope, not even that.
		this.client.get()
			.uri("/api/orders/{id}", adas)
			.headers(Callers.service("inventory-service", "catalog.read"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(this.db.status(adas)).isEqualTo("PENDING");
	}

	// ---- another customer's orders: 404, as if they did not exist -------------------------------

	@Test
	void anotherCustomersOrderIs404ExactlyLikeAnUnknownId() {
		UUID adas = place(this.ada, BOOK);
		UUID unknown = UUID.randomUUID();
		JsonNode othersAnswer = problem(this.client.get().uri("/api/orders/{id}", adas).headers(Callers.customer(this.bob))
			.exchange().expectStatus().isNotFound(), adas);
		JsonNode unknownAnswer = problem(this.client.get().uri("/api/orders/{id}", unknown)
			.headers(Callers.customer(this.bob)).exchange().expectStatus().isNotFound(), unknown);
		assertThat(othersAnswer).isEqualTo(unknownAnswer);
		assertThat(othersAnswer.get("type").asString()).isEqualTo("https://shop.example.com/problems/not-found");

		// Ada herself reads it.
		this.client.get().uri("/api/orders/{id}", adas).headers(Callers.customer(this.ada)).exchange()
			.expectStatus().isOk();
	}

	@Test
	void aCustomerCannotCancelAnotherCustomersOrder() {
		UUID adas = place(this.ada, BOOK);
		JsonNode othersAnswer = problem(this.client.post().uri("/api/orders/{id}/cancel", adas)
			.headers(Callers.customer(this.bob)).exchange().expectStatus().isNotFound(), adas);
		UUID unknown = UUID.randomUUID();
		JsonNode unknownAnswer = problem(this.client.post().uri("/api/orders/{id}/cancel", unknown)
			.headers(Callers.customer(this.bob)).exchange().expectStatus().isNotFound(), unknown);
		assertThat(othersAnswer).isEqualTo(unknownAnswer);
		assertThat(this.db.status(adas)).isEqualTo("PENDING");
		assertThat(this.db.outboxTypes(adas)).containsExactlyInAnyOrder("ReserveStock", "OrderPlaced");

		// Nor learn that a failed one exists (which would be 409 for its owner).
		this.db.forceStatus(adas, "FAILED");
		this.client.post().uri("/api/orders/{id}/cancel", adas).headers(Callers.customer(this.bob)).exchange()
			.expectStatus().isNotFound();
		this.client.post().uri("/api/orders/{id}/cancel", adas).headers(Callers.customer(this.ada)).exchange()
			.expectStatus().isEqualTo(409);
	}

	@Test
	void aCustomerListsOnlyTheirOwnOrdersAndNamingAnotherCustomerIs403() {
		UUID adas = place(this.ada, BOOK);
		UUID bobs = place(this.bob, MUG);
		this.client.get()
			.uri("/api/orders")
			.headers(Callers.customer(this.bob))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content.length()").isEqualTo(1)
			.jsonPath("$.content[0].id").isEqualTo(bobs.toString())
			.jsonPath("$.page.totalElements").isEqualTo(1);
		this.client.get()
			.uri("/api/orders?customerId={c}", this.bob)
			.headers(Callers.customer(this.bob))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content[0].id").isEqualTo(bobs.toString());
		this.client.get()
			.uri("/api/orders?customerId={c}", this.ada)
			.headers(Callers.customer(this.bob))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden")
			.jsonPath("$.detail")
			.value(String.class, (detail) -> assertThat(detail).contains("customerId").doesNotContain(adas.toString()));
		// A newcomer has none.
		this.client.get()
			.uri("/api/orders")
			.headers(Callers.customer(OrderRequests.newCustomer()))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content.length()").isEqualTo(0);
	}

	@Test
	void aCustomersTokenCarryingTheServiceScopeStillReadsOnlyTheirOwn() {
		UUID adas = place(this.ada, BOOK);
		String bobWithScope = Callers.tokens().token().subject(this.bob).roles("customer").scopes("orders.read").sign();
		this.client.get().uri("/api/orders/{id}", adas).headers(Callers.bearer(bobWithScope)).exchange()
			.expectStatus().isNotFound();
	}

	// ---- admins: any customer's orders ----------------------------------------------------------------

	@Test
	void anAdminReadsListsAndCancelsAnyCustomersOrders() {
		UUID adas = place(this.ada, BOOK);
		UUID bobs = place(this.bob, MUG);
		this.client.get()
			.uri("/api/orders/{id}", adas)
			.headers(Callers.admin())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.customerId").isEqualTo(this.ada);
		this.client.get()
			.uri("/api/orders?customerId={c}", this.ada)
			.headers(Callers.admin())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content.length()").isEqualTo(1)
			.jsonPath("$.content[0].id").isEqualTo(adas.toString());
		// Without a customer: everybody's.
		String all = this.client.get()
			.uri("/api/orders?size=100")
			.headers(Callers.admin())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(all).contains(adas.toString(), bobs.toString());

		this.client.post()
			.uri("/api/orders/{id}/cancel", bobs)
			.headers(Callers.admin())
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.status").isEqualTo("COMPENSATING")
			.jsonPath("$.customerId").isEqualTo(this.bob);
		this.client.post().uri("/api/orders/{id}/cancel", UUID.randomUUID()).headers(Callers.admin()).exchange()
			.expectStatus().isNotFound();
	}

	@Test
	void anAdminPlacesOrdersForThemselvesOnly() {
		String adminId = OrderRequests.newCustomer();
		Consumer<HttpHeaders> admin = Callers
			.bearer(Callers.tokens().token().subject(adminId).roles("admin").email("admin@example.com").sign());
		this.client.post()
			.uri("/api/orders")
			.headers(admin)
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(null, "tok_ok", BOOK, 1).replace("\"customerEmail\":\"ada@example.com\",", ""))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.customerId").isEqualTo(adminId)
			.jsonPath("$.customerEmail").isEqualTo("admin@example.com");
		long orders = this.db.orders();
		this.client.post()
			.uri("/api/orders")
			.headers(admin)
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(this.ada, "tok_ok", BOOK, 1))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		// An account whose subject is no customer id cannot own an order.
		this.client.post()
			.uri("/api/orders")
			.headers(Callers.admin())
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(null, "tok_ok", BOOK, 1))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden");
		assertThat(this.db.orders()).isEqualTo(orders);
	}

	// ---- helpers --------------------------------------------------------------------------------------

	private static TestTokens.Token token(String customer) {
		return Callers.tokens().token().subject(customer).roles("customer").email(customer + "@example.com");
	}

	/** Each endpoint of the service, with a body where it takes one. */
	private static List<Request> everyEndpoint(UUID order) {
		return List.of(new Request(HttpMethod.POST, "/api/orders", OrderRequests.order(null, "tok_ok", BOOK, 1)),
				new Request(HttpMethod.GET, "/api/orders"), new Request(HttpMethod.GET, "/api/orders/" + order),
				new Request(HttpMethod.POST, "/api/orders/" + order + "/cancel"),
				new Request(HttpMethod.GET, "/admin/dead-letters"));
	}

	private record Request(HttpMethod method, String uri, String body) {

		Request(HttpMethod method, String uri) {
			this(method, uri, null);
		}

		RestTestClient.ResponseSpec send(RestTestClient client, Consumer<HttpHeaders> authorization) {
			RestTestClient.RequestBodySpec request = client.method(this.method).uri(this.uri).headers(authorization);
			if (this.body != null) {
				request.contentType(MediaType.APPLICATION_JSON).body(this.body);
			}
			return request.exchange();
		}

		@Override
		public String toString() {
			return this.method + " " + this.uri;
		}

	}

	/** A problem's body without what differs from answer to answer (the trace id) and with the id replaced. */
	private JsonNode problem(RestTestClient.ResponseSpec response, UUID id) {
		String body = response.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		ObjectNode problem = (ObjectNode) this.json.readTree(body.replace(id.toString(), "{id}"));
		problem.remove("traceId");
		return problem;
	}

	private UUID place(String customer, UUID product) {
		String location = this.client.post()
			.uri("/api/orders")
			.headers(Callers.customer(customer))
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(customer, "tok_ok", product, 1))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(String.class)
			.returnResult()
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		return UUID.fromString(location.substring("/api/orders/".length()));
	}

}
