package com.example.shop.payment.api;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.example.shop.payment.PaymentStatus;
import com.example.shop.payment.Payments;
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

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_DECLINED;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/payments?orderId= over real HTTP against a PostgreSQL database of this class's own, with tokens of
 * {@link TestTokens}' issuer: the shape, who may call it, and that a customer sees only their own payments while
 * another customer's order answers exactly like an order without payment.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "shop.payment.provider.timeout=200ms")
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
class PaymentApiTests {

	static final TestTokens tokens = TestTokens.issuer();

	/** The customer whose orders these tests pay, unless a test says otherwise. */
	static final UUID CUSTOMER = UUID.randomUUID();

	static final String CUSTOMERS_TOKEN = "Bearer " + tokens.customer(CUSTOMER.toString());

	@Autowired
	RestTestClient client;

	/** The actuator listens on the management port only, never on the port the API is served on. */
	@LocalManagementPort
	int managementPort;

	@LocalServerPort
	int port;

	@Autowired
	Payments payments;

	@Test
	void listsTheOrdersPaymentInTheContractShape() {
		UUID orderId = UUID.randomUUID();
		this.payments.authorize(orderId, CUSTOMER, new BigDecimal("42.9"), "EUR", TOKEN_OK);
		UUID paymentId = this.payments.findByOrderId(orderId).orElseThrow().id();

		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].id").isEqualTo(paymentId.toString())
			.jsonPath("$[0].orderId").isEqualTo(orderId.toString())
			.jsonPath("$[0].amount").isEqualTo(42.90)
			.jsonPath("$[0].currency").isEqualTo("EUR")
			.jsonPath("$[0].status").isEqualTo("AUTHORIZED")
			.jsonPath("$[0].createdAt").value(String.class, at -> {
				assertThat(at).endsWith("Z");
				assertThat(Instant.parse(at)).isBeforeOrEqualTo(Instant.now());
			})
			.jsonPath("$[0].version").doesNotExist()
			.jsonPath("$[0].providerReference").doesNotExist();
		// Two decimals on the wire (not 42.9), and declineReason present as null.
		String raw = this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(raw).contains("\"amount\":42.90").contains("\"declineReason\":null");
	}

	@Test
	void showsTheDeclineReasonAndTheStatusAfterLaterSteps() {
		UUID declined = UUID.randomUUID();
		this.payments.authorize(declined, CUSTOMER, BigDecimal.TEN, "USD", TOKEN_DECLINED);
		UUID refunded = UUID.randomUUID();
		this.payments.authorize(refunded, CUSTOMER, BigDecimal.TEN, "USD", TOKEN_OK);
		this.payments.capture(refunded);
		this.payments.refund(refunded);

		this.client.get()
			.uri("/api/payments?orderId={orderId}", declined)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].status").isEqualTo("DECLINED")
			.jsonPath("$[0].declineReason").isEqualTo("card_declined")
			.jsonPath("$[0].amount").isEqualTo(10.00)
			.jsonPath("$[0].currency").isEqualTo("USD");
		this.client.get()
			.uri("/api/payments?orderId={orderId}", refunded)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectBody()
			.jsonPath("$[0].status").isEqualTo("REFUNDED");
	}

	@Test
	void anOrderWithoutPaymentIsAnEmptyListForAnAdmin() {
		this.client.get()
			.uri("/api/payments?orderId={orderId}", UUID.randomUUID())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("[]");
	}

	@Test
	void aPendingAuthorizationIsNotListedYet() {
		UUID orderId = UUID.randomUUID();
		this.payments.authorize(orderId, CUSTOMER, BigDecimal.ONE, "EUR", TOKEN_TIMEOUT);
		assertThat(this.payments.findByOrderId(orderId).orElseThrow().isPending()).isTrue();

		// The customer's own: the order has their payment, it is just not listed yet.
		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("[]");

		// Voided by the saga's compensation, it is listed as VOIDED.
		this.payments.voidAuthorization(orderId);
		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectBody()
			.jsonPath("$[0].status").isEqualTo("VOIDED")
			.jsonPath("$[0].amount").isEqualTo(1.00);
	}

	@Test
	void aVoidBeforeAnyAuthorizationIsNotListedAsAPayment() {
		UUID orderId = UUID.randomUUID();
		this.payments.voidAuthorization(orderId);
		assertThat(this.payments.findByOrderId(orderId)).hasValueSatisfying(
				slot -> assertThat(slot.status()).isEqualTo(PaymentStatus.VOIDED));

		String raw = this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.exchange()
			.expectStatus()
			.isOk()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(raw).isEqualTo("[]");
		// The void carries no customer: nobody's payment, so a customer gets the 404 of "none of yours".
		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	// ---- who may call it ----------------------------------------------------------------------------

	@Test
	void withoutATokenTheAnswerIs401WithAChallenge() {
		UUID orderId = authorizedOrderOf(CUSTOMER);
		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
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

	/** A request that went around the gateway is checked the same way: a token the realm did not sign is refused. */
	@Test
	void aBadTokenIs401() {
		UUID orderId = authorizedOrderOf(CUSTOMER);
		String subject = CUSTOMER.toString();
		for (String bad : new String[] { tokens.token().subject(subject).roles("customer").signedByStranger().sign(),
				tokens.token().subject(subject).roles("customer")
					.issuedAt(Instant.now().minus(Duration.ofMinutes(10)))
					.expiresAt(Instant.now().minus(Duration.ofMinutes(2)))
					.sign(),
				tokens.token().subject(subject).roles("customer").unsigned(), "not.a.jwt" }) {
			this.client.get()
				.uri("/api/payments?orderId={orderId}", orderId)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + bad)
				.exchange()
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE,
						challenge -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""))
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody(String.class)
				.value(body -> assertThat(body).doesNotContain(orderId.toString()).doesNotContain("amount"));
		}
	}

	/**
	 * Another customer's order answers exactly as an order without any payment: the same status, type and
	 * detail wording, so that a customer cannot tell whether someone else's order exists.
	 */
	@Test
	void anotherCustomersPaymentIs404LikeAnOrderWithoutPayment() {
		UUID ordersOfAda = authorizedOrderOf(CUSTOMER);
		UUID noPayment = UUID.randomUUID();
		String stranger = "Bearer " + tokens.anyCustomer();

		String foreign = notFound(ordersOfAda, stranger);
		String none = notFound(noPayment, stranger);

		assertThat(foreign.replace(ordersOfAda.toString(), "<id>")).isEqualTo(none.replace(noPayment.toString(), "<id>"));
		assertThat(foreign).doesNotContain("amount").doesNotContain("AUTHORIZED");
		// The customer whose payment it is still sees it.
		this.client.get()
			.uri("/api/payments?orderId={orderId}", ordersOfAda)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].orderId").isEqualTo(ordersOfAda.toString());
	}

	@Test
	void anAdminReadsAnyCustomersPayment() {
		UUID someonesOrder = authorizedOrderOf(UUID.randomUUID());
		this.client.get()
			.uri("/api/payments?orderId={orderId}", someonesOrder)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.length()").isEqualTo(1)
			.jsonPath("$[0].orderId").isEqualTo(someonesOrder.toString())
			.jsonPath("$[0].status").isEqualTo("AUTHORIZED");
	}

	/** A payment made from an AuthorizePayment without customerId (an older order-service): admins only. */
	@Test
	void aPaymentWithoutKnownCustomerIsForAdminsOnly() {
		UUID orderId = authorizedOrderOf(null);
		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isNotFound();
		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$[0].orderId").isEqualTo(orderId.toString());
	}

	/** A service account's token has scopes but no role: not a reader of payments. */
	@Test
	void aServiceTokenWithoutARoleIs403() {
		this.client.get()
			.uri("/api/payments?orderId={orderId}", authorizedOrderOf(CUSTOMER))
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.service("order-service", "orders.read"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	/** The dead-letter admin API (gateway: /api/admin/payment-service/dead-letters) is for admins only. */
	@Test
	void aCustomerOnTheAdminEndpointsIs403AndAnAdminIsLetIn() {
		String customer = CUSTOMERS_TOKEN;
		String someId = UUID.randomUUID().toString();
		this.client.get().uri("/admin/dead-letters").header(HttpHeaders.AUTHORIZATION, customer).exchange()
			.expectStatus().isForbidden()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden");
		this.client.get().uri("/admin/dead-letters/{id}", someId).header(HttpHeaders.AUTHORIZATION, customer).exchange()
			.expectStatus().isForbidden();
		this.client.post().uri("/admin/dead-letters/{id}/replay", someId).header(HttpHeaders.AUTHORIZATION, customer)
			.exchange().expectStatus().isForbidden();
		this.client.delete().uri("/admin/dead-letters/{id}", someId).header(HttpHeaders.AUTHORIZATION, customer)
			.exchange().expectStatus().isForbidden();
		this.client.get().uri("/admin/dead-letters").exchange().expectStatus().isUnauthorized();

		this.client.get().uri("/admin/dead-letters").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.exchange().expectStatus().isOk();
		this.client.get().uri("/admin/dead-letters/{id}", someId)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin()).exchange().expectStatus().isNotFound();
	}

	@Test
	void healthNeedsNoTokenAndIsServedOnTheManagementPortOnly() {
		management().get().uri("/actuator/health").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
	}

	private UUID authorizedOrderOf(UUID customer) {
		UUID orderId = UUID.randomUUID();
		this.payments.authorize(orderId, customer, BigDecimal.TEN, "EUR", TOKEN_OK);
		return orderId;
	}

	private String notFound(UUID orderId, String token) {
		return this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
			.header(HttpHeaders.AUTHORIZATION, token)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value(body -> assertThat(body).contains("\"type\":\"https://shop.example.com/problems/not-found\"")
				.contains("\"status\":404"))
			.returnResult()
			.getResponseBody();
	}

	@Test
	void missingOrderIdIsAValidationProblem() {
		this.client.get()
			.uri("/api/payments")
			.header(HttpHeaders.AUTHORIZATION, CUSTOMERS_TOKEN)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.title").isEqualTo("Invalid request")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").isEqualTo("Required parameter 'orderId' is missing")
			.jsonPath("$.instance").isEqualTo("/api/payments")
			.jsonPath("$.errors[0].field").isEqualTo("orderId")
			.jsonPath("$.errors[0].message").isEqualTo("is required");
	}

	@Test
	void orderIdThatIsNotAUuidIsAValidationProblem() {
		for (String bad : new String[] { "not-a-uuid", "1-2-3-4-5", "", "00000000-0000-4000-8000-00000000000g" }) {
			this.client.get()
				.uri(builder -> builder.path("/api/payments").queryParam("orderId", bad).build())
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
				.jsonPath("$.instance").isEqualTo("/api/payments")
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
		URI uri = URI.create("http://localhost:" + this.port + "/api/payments?orderId=%FF");
		HttpResponse<String> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(HttpRequest.newBuilder(uri).header("Authorization", CUSTOMERS_TOKEN).GET().build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"type\":\"https://shop.example.com/problems/invalid-encoding\"")
			.contains("\"detail\":\"The query parameter 'orderId' contains a percent-encoding that is malformed or not UTF-8\"")
			.contains("\"instance\":\"/api/payments\"");
	}


	private RestTestClient management() {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.managementPort).build();
	}

}
