package com.example.shop.payment.api;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import com.example.shop.payment.payment.PaymentStatus;
import com.example.shop.payment.payment.Payments;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_DECLINED;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/payments?orderId= over real HTTP against a PostgreSQL database of this class's own. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "shop.payment.provider.timeout=200ms")
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class PaymentApiTests {

	@Autowired
	RestTestClient client;

	@LocalServerPort
	int port;

	@Autowired
	Payments payments;

	@Test
	void listsTheOrdersPaymentInTheContractShape() {
		UUID orderId = UUID.randomUUID();
		this.payments.authorize(orderId, new BigDecimal("42.9"), "EUR", TOKEN_OK);
		UUID paymentId = this.payments.findByOrderId(orderId).orElseThrow().id();

		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
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
			.exchange()
			.returnResult(String.class)
			.getResponseBody();
		assertThat(raw).contains("\"amount\":42.90").contains("\"declineReason\":null");
	}

	@Test
	void showsTheDeclineReasonAndTheStatusAfterLaterSteps() {
		UUID declined = UUID.randomUUID();
		this.payments.authorize(declined, BigDecimal.TEN, "USD", TOKEN_DECLINED);
		UUID refunded = UUID.randomUUID();
		this.payments.authorize(refunded, BigDecimal.TEN, "USD", TOKEN_OK);
		this.payments.capture(refunded);
		this.payments.refund(refunded);

		this.client.get()
			.uri("/api/payments?orderId={orderId}", declined)
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
			.exchange()
			.expectBody()
			.jsonPath("$[0].status").isEqualTo("REFUNDED");
	}

	@Test
	void anOrderWithoutPaymentHasAnEmptyList() {
		this.client.get()
			.uri("/api/payments?orderId={orderId}", UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("[]");
	}

	@Test
	void aPendingAuthorizationIsNotListedYet() {
		UUID orderId = UUID.randomUUID();
		this.payments.authorize(orderId, BigDecimal.ONE, "EUR", TOKEN_TIMEOUT);
		assertThat(this.payments.findByOrderId(orderId).orElseThrow().isPending()).isTrue();

		this.client.get().uri("/api/payments?orderId={orderId}", orderId).exchange().expectBody().json("[]");

		// Voided by the saga's compensation, it is listed as VOIDED.
		this.payments.voidAuthorization(orderId);
		this.client.get()
			.uri("/api/payments?orderId={orderId}", orderId)
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
			.uri("/api/payments")
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
			.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"type\":\"https://shop.example.com/problems/invalid-encoding\"")
			.contains("\"detail\":\"The query parameter 'orderId' contains a percent-encoding that is malformed or not UTF-8\"")
			.contains("\"instance\":\"/api/payments\"");
	}

}
