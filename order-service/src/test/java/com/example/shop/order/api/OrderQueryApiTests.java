package com.example.shop.order.api;

import java.util.UUID;

import com.example.shop.order.support.Callers;
import com.example.shop.order.support.Database;
import com.example.shop.order.support.GrpcPeers;
import com.example.shop.order.support.OrderRequests;
import com.example.shop.order.support.OrderServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static com.example.shop.order.support.TestCatalogServer.BOOK;
import static com.example.shop.order.support.TestCatalogServer.LAMP;
import static com.example.shop.order.support.TestCatalogServer.MUG;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/orders/{id}, GET /api/orders (pages) and POST /api/orders/{id}/cancel. */
@OrderServiceTest
class OrderQueryApiTests {

	@DynamicPropertySource
	static void grpcPeers(DynamicPropertyRegistry registry) {
		GrpcPeers.register(registry);
		registry.add("shop.messaging.outbox.relay-enabled", () -> false);
	}

	@Autowired
	RestTestClient client;

	/** The actuator listens on the management port only, never on the port the API is served on. */
	@LocalManagementPort
	int managementPort;

	@Autowired
	JdbcClient jdbc;

	Database db;

	@BeforeEach
	void setUp() {
		GrpcPeers.reset();
		this.db = new Database(this.jdbc);
	}

	@Test
	void anOrderIsReadByIdAndUnknownOrMalformedIdsAreProblems() {
		String customer = OrderRequests.newCustomer();
		UUID id = place(customer, BOOK);
		this.client.get()
			.uri("/api/orders/" + id)
			.headers(Callers.customer(customer))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id").isEqualTo(id.toString())
			.jsonPath("$.status").isEqualTo("PENDING");
		this.client.get()
			.uri("/api/orders/" + UUID.randomUUID())
			.headers(Callers.customer(customer))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/not-found");
		for (String bad : new String[] { "42", "1-2-3-4-5" }) {
			this.client.get()
				.uri("/api/orders/" + bad)
				.headers(Callers.customer(customer))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.errors[0].field").isEqualTo("id");
		}
	}

	@Test
	void ordersArePagedAndFilteredByCustomerAndStatus() {
		String customer = OrderRequests.newCustomer();
		UUID first = place(customer, BOOK);
		UUID second = place(customer, MUG);
		UUID third = place(customer, LAMP);
		place(OrderRequests.newCustomer(), BOOK);
		this.db.forceStatus(second, "CONFIRMED");

		this.client.get()
			.uri("/api/orders?customerId={c}&page=0&size=2", customer)
			.headers(Callers.customer(customer))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content.length()").isEqualTo(2)
			// newest first by default
			.jsonPath("$.content[0].id").isEqualTo(third.toString())
			.jsonPath("$.content[1].id").isEqualTo(second.toString())
			.jsonPath("$.page.number").isEqualTo(0)
			.jsonPath("$.page.size").isEqualTo(2)
			.jsonPath("$.page.totalElements").isEqualTo(3)
			.jsonPath("$.page.totalPages").isEqualTo(2);
		// Their own orders are what a customer lists, whether or not they name themselves.
		this.client.get()
			.uri("/api/orders?page=1&size=2")
			.headers(Callers.customer(customer))
			.exchange()
			.expectBody()
			.jsonPath("$.content.length()").isEqualTo(1)
			.jsonPath("$.content[0].id").isEqualTo(first.toString())
			.jsonPath("$.content[0].items[0].productId").isEqualTo(BOOK.toString());
		this.client.get()
			.uri("/api/orders?status=CONFIRMED")
			.headers(Callers.customer(customer))
			.exchange()
			.expectBody()
			.jsonPath("$.content.length()").isEqualTo(1)
			.jsonPath("$.content[0].id").isEqualTo(second.toString());
		// An admin lists one customer's orders by naming them.
		this.client.get()
			.uri("/api/orders?customerId={c}&sort=createdAt,asc", customer)
			.headers(Callers.admin())
			.exchange()
			.expectBody()
			.jsonPath("$.content[0].id").isEqualTo(first.toString());
	}

	@Test
	void invalidPageParametersAre400NamingTheParameter() {
		assertBadParameter("/api/orders?size=0", "size");
		assertBadParameter("/api/orders?size=101", "size");
		assertBadParameter("/api/orders?page=-1", "page");
		assertBadParameter("/api/orders?page=x", "page");
		assertBadParameter("/api/orders?status=SHIPPED", "status");
		assertBadParameter("/api/orders?customerId=nope", "customerId");
		assertBadParameter("/api/orders?sort=password", "sort");
	}

	@Test
	void cancelIsAcceptedWhileCancellableRefundsWithinTheWindowAndIsRefusedWhileConfirmingOrOnceFailed() {
		String customer = OrderRequests.newCustomer();
		UUID pending = place(customer, BOOK);
		cancel(customer, pending).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.status").isEqualTo("COMPENSATING")
			.jsonPath("$.cancellationReason").isEqualTo("CUSTOMER_REQUEST");
		assertThat(this.db.outboxTypes(pending)).containsExactlyInAnyOrder("ReserveStock", "OrderPlaced",
				"ReleaseReservation", "OrderStatusChanged");
		cancel(customer, pending).expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("COMPENSATING");
		assertThat(this.db.outboxTypes(pending)).as("a repeated cancel sends nothing").hasSize(4);

		for (String status : new String[] { "CONFIRMING", "FAILED" }) {
			UUID order = place(customer, MUG);
			this.db.forceStatus(order, status);
			cancel(customer, order).expectStatus()
				.isEqualTo(409)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.detail").value(String.class, (d) -> assertThat(d).contains(status));
			assertThat(this.db.status(order)).isEqualTo(status);
		}
		UUID refunded = place(customer, MUG);
		this.db.forceStatus(refunded, "CONFIRMED");
		cancel(customer, refunded).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.status").isEqualTo("REFUNDING")
			.jsonPath("$.cancellationReason").isEqualTo("REFUNDED");
		assertThat(this.db.correlatedTypes(refunded)).as("the refund's commands and event")
			.contains("ReturnStock", "RefundPayment", "OrderStatusChanged");
		cancel(customer, refunded).expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("REFUNDING");

		UUID tooLate = place(customer, MUG);
		this.db.forceStatus(tooLate, "CONFIRMED");
		this.db.confirmedDaysAgo(tooLate, 15);
		cancel(customer, tooLate).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.detail").value(String.class, (d) -> assertThat(d).contains("refund window has passed"));
		assertThat(this.db.status(tooLate)).isEqualTo("CONFIRMED");

		UUID cancelled = place(customer, LAMP);
		this.db.forceStatus(cancelled, "CANCELLED");
		cancel(customer, cancelled).expectStatus().isAccepted().expectBody().jsonPath("$.status").isEqualTo("CANCELLED");

		cancel(customer, UUID.randomUUID()).expectStatus().isNotFound();
		this.client.post()
			.uri("/api/orders/nope/cancel")
			.headers(Callers.customer(customer))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	@Test
	void readinessFollowsTheDatabaseAndLivenessTheProcessOnly() {
		management().get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.db.status").isEqualTo("UP");
		management().get()
			.uri("/actuator/health/liveness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.db").doesNotExist();
	}

	@Test
	void theActuatorIsServedOnTheManagementPortOnly() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/health").headers(Callers.admin()).exchange().expectStatus().isNotFound();
	}

	@Test
	void healthShowsItsChecksToAnybodyAndTheirDetailsOnlyToAnAdmin() {
		management().get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.db.status").isEqualTo("UP")
			.jsonPath("$.components.db.details").doesNotExist();
		management().get()
			.uri("/actuator/health")
			.headers(Callers.customer(UUID.randomUUID().toString()))
			.exchange()
			.expectBody()
			.jsonPath("$.components.db.details").doesNotExist();
		management().get()
			.uri("/actuator/health")
			.headers(Callers.admin())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.db.details.database").isEqualTo("PostgreSQL");
	}

	private RestTestClient.ResponseSpec cancel(String customer, UUID id) {
		return this.client.post().uri("/api/orders/{id}/cancel", id).headers(Callers.customer(customer)).exchange();
	}

	private void assertBadParameter(String uri, String parameter) {
		this.client.get()
			.uri(uri)
			.headers(Callers.customer(OrderRequests.CUSTOMER))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo(parameter);
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


	private RestTestClient management() {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.managementPort).build();
	}

}
