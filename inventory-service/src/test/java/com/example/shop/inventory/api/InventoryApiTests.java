package com.example.shop.inventory.api;

import java.util.List;
import java.util.UUID;

import com.example.shop.inventory.reservation.ReservationLine;
import com.example.shop.inventory.reservation.StockReservations;
import com.example.shop.inventory.support.TestCatalog;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.BodyContentSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET and PUT /api/inventory/{productId} over real HTTP, against the seeded stock of this class's database. Reads
 * are anonymous, as docs/api.md has them; every PUT (and the DELETE that is refused with 405) carries an admin's
 * token of {@link TestTokens}' issuer. Who else may not: {@link InventoryAccessTests}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.TOKENS })
class InventoryApiTests {

	private static final TestTokens tokens = TestTokens.issuer();

	@DynamicPropertySource
	static void catalog(DynamicPropertyRegistry registry) {
		TestCatalog.register(registry);
	}

	static final String FIRST_BOOK = "00000000-0000-4000-8000-000000000001";

	static final String MONITOR = "00000000-0000-4000-8000-000000000012"; // seeded out of stock

	static final String HEADPHONES = "00000000-0000-4000-8000-000000000009"; // seeded low (5)

	@Autowired
	RestTestClient client;

	/** The actuator listens on the management port only, never on the port the API is served on. */
	@LocalManagementPort
	int managementPort;

	@Autowired
	StockReservations reservations;

	@Test
	void getAnswersTheSeededStock() {
		get(FIRST_BOOK).expectStatus()
			.isOk()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.json("""
					{"productId": "%s", "onHand": 100, "reserved": 0, "available": 100}""".formatted(FIRST_BOOK), JsonCompareMode.STRICT);
		get(MONITOR).expectBody().jsonPath("$.onHand").isEqualTo(0).jsonPath("$.available").isEqualTo(0);
		get(HEADPHONES).expectBody().jsonPath("$.onHand").isEqualTo(5);
	}

	@Test
	void getShowsWhatIsReserved() {
		UUID product = create(10);
		this.reservations.reserve(UUID.randomUUID(), List.of(new ReservationLine(product, 4)));
		get(product.toString()).expectBody()
			.json("""
					{"productId": "%s", "onHand": 10, "reserved": 4, "available": 6}""".formatted(product), JsonCompareMode.STRICT);
	}

	@Test
	void getOfAProductWithoutStockIs404() {
		UUID unknown = UUID.randomUUID();
		get(unknown.toString()).expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/not-found")
			.jsonPath("$.title").isEqualTo("Not Found")
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.detail").isEqualTo("Product " + unknown + " has no stock record")
			.jsonPath("$.instance").isEqualTo("/api/inventory/" + unknown);
	}

	@Test
	void getWithAnIdThatIsNotAUuidIs400() {
		get("not-a-uuid").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.title").isEqualTo("Invalid request")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").isEqualTo("Parameter 'productId' must be a UUID but was 'not-a-uuid'")
			.jsonPath("$.instance").isEqualTo("/api/inventory/not-a-uuid")
			.jsonPath("$.errors[0].field").isEqualTo("productId")
			.jsonPath("$.errors[0].message").isEqualTo("must be a UUID");
	}

	@Test
	void putSetsOnHandOfAnExistingProduct() {
		UUID product = create(10);
		put(product.toString(), "{\"onHand\": 25}").expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.LOCATION)
			.expectBody()
			.json("""
					{"productId": "%s", "onHand": 25, "reserved": 0, "available": 25}""".formatted(product), JsonCompareMode.STRICT);
		get(product.toString()).expectBody().jsonPath("$.onHand").isEqualTo(25);
		// a whole number written with a fraction of zero is still a whole number
		put(product.toString(), "{\"onHand\": 7.0}").expectStatus().isOk().expectBody().jsonPath("$.onHand").isEqualTo(7);
		put(product.toString(), "{\"onHand\": 0}").expectStatus().isOk().expectBody().jsonPath("$.available").isEqualTo(0);
	}

	@Test
	void putOfAProductWithoutStockCreatesItsRecord() {
		UUID product = UUID.randomUUID();
		put(product.toString(), "{\"onHand\": 12}").expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals(HttpHeaders.LOCATION, "/api/inventory/" + product)
			.expectBody()
			.json("""
					{"productId": "%s", "onHand": 12, "reserved": 0, "available": 12}""".formatted(product), JsonCompareMode.STRICT);
		get(product.toString()).expectStatus().isOk().expectBody().jsonPath("$.onHand").isEqualTo(12);
		put(product.toString(), "{\"onHand\": 12}").expectStatus().isOk();
	}

	@Test
	void putOfAProductTheCatalogDoesNotHaveIs404AndCreatesNoStock() {
		UUID unknown = TestCatalog.get().unknownProduct();
		put(unknown.toString(), "{\"onHand\": 12}").expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/not-found")
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.detail").isEqualTo("Product " + unknown
					+ " is not in the catalog; stock is kept only for catalog products");
		get(unknown.toString()).expectStatus().isNotFound();
	}

	@Test
	void whileTheCatalogIsDownNewStockIs503ButExistingStockCanStillBeSet() {
		UUID existing = create(10);
		TestCatalog.get().down(true);
		try {
			UUID product = UUID.randomUUID();
			put(product.toString(), "{\"onHand\": 12}").expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/service-unavailable")
				.jsonPath("$.detail").isEqualTo("The catalog cannot confirm right now that product " + product
						+ " exists, so no stock was created; try again shortly");
			get(product.toString()).expectStatus().isNotFound();

			int callsBefore = TestCatalog.get().calls();
			put(existing.toString(), "{\"onHand\": 20}").expectStatus().isOk();
			assertThat(TestCatalog.get().calls()).as("stock that exists needs no catalog").isEqualTo(callsBefore);
		}
		finally {
			TestCatalog.get().down(false);
		}
	}

	@Test
	void putBelowWhatIsReservedIs409AndChangesNothing() {
		UUID product = create(10);
		this.reservations.reserve(UUID.randomUUID(), List.of(new ReservationLine(product, 6)));

		put(product.toString(), "{\"onHand\": 5}").expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/conflict")
			.jsonPath("$.title").isEqualTo("Conflict")
			.jsonPath("$.status").isEqualTo(409)
			.jsonPath("$.detail").isEqualTo("Cannot set on hand of product " + product
					+ " to 5: 6 units are reserved for orders; confirm or release them first")
			.jsonPath("$.instance").isEqualTo("/api/inventory/" + product);
		get(product.toString()).expectBody()
			.json("""
					{"onHand": 10, "reserved": 6, "available": 4}""");

		// exactly what is reserved is allowed: nothing left to sell
		put(product.toString(), "{\"onHand\": 6}").expectStatus().isOk().expectBody().jsonPath("$.available").isEqualTo(0);
	}

	@Test
	void negativeFractionalOrHugeOnHandIs400NamingTheField() {
		String product = create(10).toString();
		invalid(product, "{\"onHand\": -1}", "must be greater than or equal to 0");
		invalid(product, "{\"onHand\": 1.5}", "must be a whole number");
		invalid(product, "{\"onHand\": 1000001}", "must be less than or equal to 1000000");
		invalid(product, "{\"onHand\": 99999999999999999999}", "must be less than or equal to 1000000");
		get(product).expectBody().jsonPath("$.onHand").isEqualTo(10);
	}

	@Test
	void missingOrNullOnHandIs400() {
		String product = create(10).toString();
		invalid(product, "{}", "must not be null");
		invalid(product, "{\"onHand\": null}", "must not be null");
		invalid(product, "{\"onhand\": 5}", "must not be null");
	}

	@Test
	void onHandOfTheWrongJsonTypeIs400() {
		String product = create(10).toString();
		invalid(product, "{\"onHand\": \"ten\"}", "must be a number but was 'ten'");
		invalid(product, "{\"onHand\": true}", "must be a number");
		invalid(product, "{\"onHand\": [1]}", "must be a number");
		invalid(product, "{\"onHand\": {\"value\": 1}}", "must be a number");
	}

	@Test
	void aBodyThatIsNotJsonIs400MalformedAndNoBodyAtAllToo() {
		String product = create(10).toString();
		for (String body : List.of("{\"onHand\": ", "onHand=5", "[1, 2]", "")) {
			put(product, body).expectStatus()
				.isBadRequest()
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/malformed-request")
				.jsonPath("$.status").isEqualTo(400)
				.jsonPath("$.instance").isEqualTo("/api/inventory/" + product);
		}
	}

	@Test
	void putWithAnIdThatIsNotAUuidIs400() {
		put("12", "{\"onHand\": 1}").expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.errors[0].field").isEqualTo("productId");
	}

	@Test
	void wrongMediaTypeIs415AndWrongMethodIs405() {
		this.client.put()
			.uri("/api/inventory/{id}", FIRST_BOOK)
			.headers(headers -> headers.setBearerAuth(tokens.admin()))
			.contentType(MediaType.TEXT_PLAIN)
			.body("onHand=5")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/unsupported-media-type");
		this.client.delete()
			.uri("/api/inventory/{id}", FIRST_BOOK)
			.headers(headers -> headers.setBearerAuth(tokens.admin()))
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/method-not-allowed");
	}

	@Test
	void actuatorReportsReadinessAndTheReservationCounter() {
		management().get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.db.status").isEqualTo("UP");
		String metrics = management().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(metrics).contains("inventory_reservations_total{application=\"inventory-service\",outcome=\"reserved\"}")
			.contains("inventory_reservations_total{application=\"inventory-service\",outcome=\"rejected\"}");
	}

	private UUID create(int onHand) {
		UUID product = UUID.randomUUID();
		put(product.toString(), "{\"onHand\": " + onHand + "}").expectStatus().isCreated();
		return product;
	}

	private RestTestClient.ResponseSpec get(String productId) {
		return this.client.get().uri("/api/inventory/" + productId).exchange();
	}

	private RestTestClient.ResponseSpec put(String productId, String body) {
		return this.client.put()
			.uri("/api/inventory/" + productId)
			.headers(headers -> headers.setBearerAuth(tokens.admin()))
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange();
	}

	private BodyContentSpec invalid(String productId, String body, String message) {
		return put(productId, body).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.title").isEqualTo("Invalid request")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.detail").exists()
			.jsonPath("$.instance").isEqualTo("/api/inventory/" + productId)
			.jsonPath("$.errors.length()").isEqualTo(1)
			.jsonPath("$.errors[0].field").isEqualTo("onHand")
			.jsonPath("$.errors[0].message").isEqualTo(message);
	}


	private RestTestClient management() {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.managementPort).build();
	}

}
