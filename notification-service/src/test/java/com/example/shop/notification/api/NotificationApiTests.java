package com.example.shop.notification.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.example.shop.notification.NotificationRepository;
import com.example.shop.notification.NotificationType;
import com.example.shop.notification.support.OrderServiceStandIn;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/notifications?orderId= over real HTTP against a PostgreSQL database of this class's own, with tokens of
 * {@link TestTokens}' issuer: the order's notifications oldest first in the documented shape, a problem+json 400
 * for a missing or malformed order id, and who may read which: a customer their own orders' only (another
 * customer's order answers exactly as an order without notifications), an admin any, {@code []} for an order
 * without any. (The SMTP port is never used here: nothing is queued.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
class NotificationApiTests {

	static final TestTokens tokens = TestTokens.issuer();

	/** The customer whose orders these tests read, unless a test says otherwise. */
	static final UUID CUSTOMER = UUID.randomUUID();

	static final String CUSTOMERS_TOKEN = "Bearer " + tokens.customer(CUSTOMER.toString());

	static final String ADMINS_TOKEN = "Bearer " + tokens.admin();

	@Autowired
	RestTestClient client;

	/** The actuator listens on the management port only, never on the port the API is served on. */
	@LocalManagementPort
	int managementPort;

	@LocalServerPort
	int port;

	@Autowired
	NotificationRepository notifications;

	@Test
	void listsTheOrdersNotificationsOldestFirst() {
		UUID orderId = UUID.randomUUID();
		Instant confirmedAt = Instant.parse("2026-11-30T10:00:00Z");
		Instant cancelledAt = Instant.parse("2026-11-30T11:00:00Z");
		// Inserted newest first, listed oldest first.
		UUID cancelled = this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CANCELLED,
				OrderServiceStandIn.order(orderId, CUSTOMER, "ada@example.com", "CANCELLED", "CUSTOMER_REQUEST"),
				cancelledAt)
			.orElseThrow();
		UUID confirmed = this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CONFIRMED,
				OrderServiceStandIn.order(orderId, CUSTOMER, "ada@example.com", "CONFIRMED", null), confirmedAt)
			.orElseThrow();
		this.notifications.markSent(confirmed, Instant.parse("2026-11-30T10:00:02Z"));
		this.notifications.markRetrying(cancelled, "SMTP delivery failed, retried later: ConnectException", cancelledAt);
		this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CONFIRMED,
				OrderServiceStandIn.order(UUID.randomUUID(), "bob@example.com", "CONFIRMED", null), confirmedAt);

		this.client.get()
			.uri("/api/notifications?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.length()").isEqualTo(2)
			.jsonPath("$[0].id").isEqualTo(confirmed.toString())
			.jsonPath("$[0].orderId").isEqualTo(orderId.toString())
			.jsonPath("$[0].channel").isEqualTo("EMAIL")
			.jsonPath("$[0].type").isEqualTo("ORDER_CONFIRMED")
			.jsonPath("$[0].recipient").isEqualTo("ada@example.com")
			.jsonPath("$[0].status").isEqualTo("SENT")
			.jsonPath("$[0].sentAt").isEqualTo("2026-11-30T10:00:02Z")
			.jsonPath("$[0].attempts").isEqualTo(1)
			.jsonPath("$[0].createdAt").isEqualTo("2026-11-30T10:00:00Z")
			.jsonPath("$[1].id").isEqualTo(cancelled.toString())
			.jsonPath("$[1].type").isEqualTo("ORDER_CANCELLED")
			.jsonPath("$[1].status").isEqualTo("RETRYING")
			.jsonPath("$[1].failureReason").isEqualTo("SMTP delivery failed, retried later: ConnectException")
			.jsonPath("$[0].orderSummary").doesNotExist()
			.jsonPath("$[0].sourceEventId").doesNotExist();
		String raw = this.client.get()
			.uri("/api/notifications?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(raw).as("sentAt present as null while unsent").contains("\"sentAt\":null");
	}

	@Test
	void anOrderWithoutNotificationsIsAnEmptyListForAnAdmin() {
		String raw = this.client.get()
			.uri("/api/notifications?orderId={orderId}", UUID.randomUUID())
			.header(HttpHeaders.AUTHORIZATION, ADMINS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(raw).isEqualTo("[]");
	}

	@Test
	void missingOrderIdIsAValidationProblem() {
		this.client.get()
			.uri("/api/notifications")
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").isEqualTo("Required parameter 'orderId' is missing")
			.jsonPath("$.instance").isEqualTo("/api/notifications")
			.jsonPath("$.errors[0].field").isEqualTo("orderId")
			.jsonPath("$.errors[0].message").isEqualTo("is required");
	}

	@Test
	void orderIdThatIsNotAUuidIsAValidationProblem() {
		for (String bad : new String[] { "not-a-uuid", "1-2-3-4-5", "", "00000000-0000-4000-8000-00000000000g" }) {
			this.client.get()
				.uri(builder -> builder.path("/api/notifications").queryParam("orderId", bad).build())
				.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
				.jsonPath("$.status").isEqualTo(400)
				.jsonPath("$.detail").isEqualTo("Parameter 'orderId' must be a UUID but was '" + bad + "'")
				.jsonPath("$.errors[0].field").isEqualTo("orderId")
				.jsonPath("$.errors[0].message").isEqualTo("must be a UUID");
		}
	}

	/**
	 * An order id that is not UTF-8 once decoded used to make Tomcat's parameter parsing throw (a 500). Sent with
	 * the JDK's HttpClient, which keeps the encoding as given where RestTestClient would re-encode it.
	 */
	@Test
	void orderIdThatIsNotUtf8Is400() throws Exception {
		URI uri = URI.create("http://localhost:" + this.port + "/api/notifications?orderId=%C0%80");
		HttpResponse<String> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(HttpRequest.newBuilder(uri).header("Authorization", CUSTOMERS_TOKEN).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"type\":\"https://shop.example.com/problems/invalid-encoding\"")
			.contains("\"detail\":\"The query parameter 'orderId' contains a percent-encoding that is malformed or not UTF-8\"")
			.contains("\"instance\":\"/api/notifications\"");
	}

	// ---- who may read which ------------------------------------------------------------------------

	@Test
	void withoutATokenTheAnswerIs401WithAChallenge() {
		this.client.get()
			.uri("/api/notifications?orderId={orderId}", notifiedOrderOf(CUSTOMER))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge).startsWith("Bearer"))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(401)
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/unauthorized");
	}

	/** A request that went around the gateway is checked the same way. */
	@Test
	void aBadTokenIs401() {
		UUID orderId = notifiedOrderOf(CUSTOMER);
		String subject = CUSTOMER.toString();
		for (String bad : new String[] { tokens.token().subject(subject).roles("customer").signedByStranger().sign(),
				tokens.token().subject(subject).roles("customer")
					.issuedAt(Instant.now().minus(Duration.ofMinutes(10)))
					.expiresAt(Instant.now().minus(Duration.ofMinutes(2)))
					.sign(),
				tokens.token().subject(subject).roles("customer").issuer("http://127.0.0.1:1/realms/shop").sign(),
				tokens.token().subject(subject).roles("customer").signedWithPublicKeyAsHmacSecret() }) {
			this.client.get()
				.uri("/api/notifications?orderId={orderId}", orderId)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + bad)
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE,
						challenge -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""))
				.expectBody(String.class)
				.value(body -> assertThat(body).doesNotContain("ada@example.com"));
		}
	}

	/**
	 * Another customer's order answers exactly as an order without notifications: the same status, type and
	 * wording, so that a customer cannot tell whether someone else's order exists.
	 */
	@Test
	void anotherCustomersNotificationsAre404LikeAnOrderWithoutAny() {
		UUID adasOrder = notifiedOrderOf(CUSTOMER);
		UUID none = UUID.randomUUID();
		String stranger = "Bearer " + tokens.anyCustomer();

		String foreign = notFound(adasOrder, stranger);
		String nothing = notFound(none, stranger);

		assertThat(foreign.replace(adasOrder.toString(), "<id>")).isEqualTo(nothing.replace(none.toString(), "<id>"));
		assertThat(foreign).doesNotContain("ada@example.com");
		// Their owner reads them.
		this.client.get()
			.uri("/api/notifications?orderId={orderId}", adasOrder)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].orderId").isEqualTo(adasOrder.toString());
		// And a customer's own order without notifications (yet) is the same 404: nothing of theirs here.
		notFound(none, CUSTOMERS_TOKEN);
	}

	@Test
	void anAdminReadsAnyCustomersNotifications() {
		UUID someonesOrder = notifiedOrderOf(UUID.randomUUID());
		this.client.get()
			.uri("/api/notifications?orderId={orderId}", someonesOrder)
			.header(HttpHeaders.AUTHORIZATION, ADMINS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].orderId").isEqualTo(someonesOrder.toString());
	}

	/** A notification whose order summary names no customer: admins only. */
	@Test
	void aNotificationWithoutKnownCustomerIsForAdminsOnly() {
		UUID orderId = notifiedOrderOf(null);
		notFound(orderId, CUSTOMERS_TOKEN);
		this.client.get()
			.uri("/api/notifications?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, ADMINS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].orderId").isEqualTo(orderId.toString());
	}

	/** A service account's token has scopes, no role: not a reader of notifications. */
	@Test
	void aServiceTokenWithoutARoleIs403() {
		this.client.get()
			.uri("/api/notifications?orderId={orderId}", notifiedOrderOf(CUSTOMER))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.service("order-service", "orders.read"))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	/** The dead-letter admin API (gateway: /api/admin/notification-service/dead-letters) is for admins only. */
	@Test
	void aCustomerOnTheAdminEndpointsIs403AndAnAdminIsLetIn() {
		String someId = UUID.randomUUID().toString();
		this.client.get().uri("/admin/dead-letters").header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN).exchange()
			.expectStatus().isForbidden()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden");
		this.client.post().uri("/admin/dead-letters/{id}/replay", someId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN).exchange().expectStatus().isForbidden();
		this.client.delete().uri("/admin/dead-letters/{id}", someId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN).exchange().expectStatus().isForbidden();
		this.client.get().uri("/admin/dead-letters").exchange().expectStatus().isUnauthorized();

		this.client.get().uri("/admin/dead-letters").header(HttpHeaders.AUTHORIZATION, ADMINS_TOKEN).exchange()
			.expectStatus().isOk();
		this.client.get().uri("/admin/dead-letters/{id}", someId).header(HttpHeaders.AUTHORIZATION, ADMINS_TOKEN)
			.exchange().expectStatus().isNotFound();
	}

	@Test
	void healthNeedsNoTokenAndIsServedOnTheManagementPortOnly() {
		management().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isNotFound();
	}

	/** An order of {@code customer} (null: not named) with one notification. */
	private UUID notifiedOrderOf(UUID customer) {
		UUID orderId = UUID.randomUUID();
		this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CONFIRMED,
				OrderServiceStandIn.order(orderId, customer, "ada@example.com", "CONFIRMED", null), Instant.now());
		return orderId;
	}

	private String notFound(UUID orderId, String token) {
		return this.client.get()
			.uri("/api/notifications?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, token)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("\"type\":\"https://shop.example.com/problems/not-found\""))
			.returnResult()
			.getResponseBody();
	}


	private RestTestClient management() {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.managementPort).build();
	}

}
