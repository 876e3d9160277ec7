package com.example.shop.product.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.BodyContentSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST, PUT and DELETE /api/products over real HTTP, against PostgreSQL and Redis of this class's own. The writes
 * are an admin's (a token of {@link TestTokens}' issuer); the reads in between are anonymous, as docs/api.md has
 * them. Who else may not write: {@link ProductAccessTests}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
class ProductWriteApiTests {

	private static final TestTokens tokens = TestTokens.issuer();

	/** Anonymous: for the reads. */
	@Autowired
	RestTestClient client;

	/** The same server, every request with an admin's bearer token (a fresh one per test). */
	RestTestClient admin;

	@BeforeEach
	void signInAsAdmin() {
		this.admin = this.client.mutate().defaultHeaders(headers -> headers.setBearerAuth(tokens.admin())).build();
	}

	@Test
	void createReturns201WithLocationAndTheStoredProduct() {
		EntityExchangeResult<String> created = this.admin.post()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.body(json("NEW-0001", "Espresso Cups, Set of 4", "kitchen", "24.5", "EUR"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.valueEquals("ETag", "\"0\"")
			.expectBody(String.class)
			.returnResult();
		String location = created.getResponseHeaders().getFirst(HttpHeaders.LOCATION);
		assertThat(location).matches("/api/products/[0-9a-f-]{36}");
		// price normalised to two decimals
		assertThat(created.getResponseBody()).contains("\"price\":24.50");

		this.client.get()
			.uri(location)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.id").isEqualTo(location.substring("/api/products/".length()))
			.jsonPath("$.sku").isEqualTo("NEW-0001")
			.jsonPath("$.name").isEqualTo("Espresso Cups, Set of 4")
			.jsonPath("$.description").isEqualTo("")
			.jsonPath("$.category").isEqualTo("kitchen")
			.jsonPath("$.price").isEqualTo(24.50)
			.jsonPath("$.currency").isEqualTo("EUR")
			.jsonPath("$.available").isEqualTo(true)
			.jsonPath("$.createdAt").value(String.class, t -> assertThat(t).endsWith("Z"))
			.jsonPath("$.updatedAt").value(String.class, t -> assertThat(Instant.parse(t)).isBeforeOrEqualTo(Instant.now()));
	}

	@Test
	void duplicateSkuIs409() {
		create("DUP-0001");
		this.admin.post()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.body(json("DUP-0001", "Another", "toys", "1.00", "EUR"))
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/conflict")
			.jsonPath("$.detail").isEqualTo("A product with sku DUP-0001 already exists")
			.jsonPath("$.instance").isEqualTo("/api/products");
	}

	@Test
	void updateReplacesFieldsAndBumpsTheVersion() {
		String location = create("UPD-0001");
		this.admin.put()
			.uri(location)
			.contentType(MediaType.APPLICATION_JSON)
			.body("""
					{"sku": "UPD-0001", "name": "Renamed", "description": "Now with a lid", "category": "kitchen",
					 "price": 99.99, "currency": "USD", "available": false}""")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("ETag", "\"1\"")
			.expectBody()
			.jsonPath("$.name").isEqualTo("Renamed")
			.jsonPath("$.description").isEqualTo("Now with a lid")
			.jsonPath("$.price").isEqualTo(99.99)
			.jsonPath("$.currency").isEqualTo("USD")
			.jsonPath("$.available").isEqualTo(false);
	}

	@Test
	void updateToAnotherProductsSkuIs409() {
		create("TAKEN-0001");
		String location = create("FREE-0001");
		this.admin.put()
			.uri(location)
			.contentType(MediaType.APPLICATION_JSON)
			.body(json("TAKEN-0001", "Thing", "toys", "1.00", "EUR"))
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/conflict");
	}

	@Test
	void staleIfMatchIs412AndChangesNothing() {
		String location = create("LOCK-0001");
		// Two clients read version 0; the first update wins ...
		put(location, "\"0\"", "First writer").expectStatus().isOk().expectHeader().valueEquals("ETag", "\"1\"");
		// ... the second, still holding version 0, must not silently overwrite it.
		put(location, "\"0\"", "Second writer").expectStatus()
			.isEqualTo(412)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/precondition-failed");
		this.client.get().uri(location).exchange().expectBody().jsonPath("$.name").isEqualTo("First writer");
		put(location, "\"1\"", "Second writer, after re-reading").expectStatus().isOk();
		put(location, "garbage", "x").expectStatus().isEqualTo(412);
	}

	@Test
	void updateOfUnknownProductIs404() {
		this.admin.put()
			.uri("/api/products/{id}", UUID.randomUUID())
			.contentType(MediaType.APPLICATION_JSON)
			.body(json("GHOST-0001", "Ghost", "toys", "1.00", "EUR"))
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/not-found");
	}

	@Test
	void deleteIs204ThenTheProductIsGone() {
		String location = create("DEL-0001");
		this.client.get().uri(location).exchange().expectStatus().isOk(); // cached now
		this.admin.delete().uri(location).exchange().expectStatus().isNoContent().expectBody().isEmpty();
		this.client.get().uri(location).exchange().expectStatus().isNotFound();
		this.admin.delete().uri(location).exchange().expectStatus().isNotFound();
	}

	@Test
	void negativePriceIs400NamingPrice() {
		invalid(json("NEG-0001", "Negative", "toys", "-1.00", "EUR"))
			.jsonPath("$.errors.length()").isEqualTo(1)
			.jsonPath("$.errors[0].field").isEqualTo("price")
			.jsonPath("$.errors[0].message").isEqualTo("must be greater than or equal to 0.00");
	}

	@Test
	void priceWithThreeDecimalsOrAboveTheMaximumIs400() {
		invalid(json("DEC-0001", "Fractions", "toys", "1.005", "EUR")).jsonPath("$.errors[0].field")
			.isEqualTo("price");
		invalid(json("BIG-0001", "Too dear", "toys", "1000000.00", "EUR")).jsonPath("$.errors[0].field")
			.isEqualTo("price");
	}

	@Test
	void unknownOrLowerCaseCurrencyIs400() {
		invalid(json("CUR-0001", "Thing", "toys", "1.00", "XYZ"))
			.jsonPath("$.errors[0].field").isEqualTo("currency")
			.jsonPath("$.errors[0].message").isEqualTo("must be an ISO-4217 currency code such as EUR");
		invalid(json("CUR-0002", "Thing", "toys", "1.00", "eur")).jsonPath("$.errors[0].field")
			.isEqualTo("currency");
	}

	@Test
	void missingRequiredFieldsAreAllNamed() {
		invalid("{\"description\": \"only this\"}")
			.jsonPath("$.errors[*].field").value(java.util.List.class, fields -> assertThat(fields)
				.containsExactlyInAnyOrder("category", "currency", "name", "price", "sku"));
	}

	@Test
	void tooLongOrBadlyFormedTextIs400() {
		invalid(json("lower-case", "x".repeat(201), "Not A Slug", "1.00", "EUR"))
			.jsonPath("$.errors[*].field").value(java.util.List.class, fields -> assertThat(fields)
				.containsExactlyInAnyOrder("category", "name", "sku"));
	}

	@Test
	void malformedJsonIs400() {
		send("{\"sku\": \"BAD-0001\", \"name\": ").expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/malformed-request")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.instance").isEqualTo("/api/products");
	}

	@Test
	void wrongJsonTypesAre400NamingTheField() {
		invalid(json("TYPE-0001", "Thing", "toys", "\"cheap\"", "EUR"))
			.jsonPath("$.errors[0].field").isEqualTo("price")
			.jsonPath("$.errors[0].message").isEqualTo("must be a number but was 'cheap'");
		invalid("{\"sku\": \"TYPE-0002\", \"name\": \"Thing\", \"category\": \"toys\", \"price\": 1,"
				+ " \"currency\": \"EUR\", \"available\": \"maybe\"}")
			.jsonPath("$.errors[0].field").isEqualTo("available");
		invalid("{\"sku\": [1, 2], \"name\": \"Thing\", \"category\": \"toys\", \"price\": 1, \"currency\": \"EUR\"}")
			.jsonPath("$.errors[0].field").isEqualTo("sku");
	}

	@Test
	void nonJsonBodyIs415() {
		this.admin.post()
			.uri("/api/products")
			.contentType(MediaType.TEXT_PLAIN)
			.body("sku=X")
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/unsupported-media-type");
	}

	@Test
	void unsupportedMethodIs405() {
		this.admin.patch()
			.uri("/api/products/{id}", ProductSearchApiTests.FIRST_BOOK)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange()
			.expectStatus()
			.isEqualTo(405)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/method-not-allowed");
	}

	private String create(String sku) {
		return this.admin.post()
			.uri("/api/products")
			.contentType(MediaType.APPLICATION_JSON)
			.body(json(sku, "Product " + sku, "toys", "10.00", "EUR"))
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(Map.class)
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
	}

	private RestTestClient.ResponseSpec put(String location, String ifMatch, String name) {
		return this.admin.put()
			.uri(location)
			.header(HttpHeaders.IF_MATCH, ifMatch)
			.contentType(MediaType.APPLICATION_JSON)
			.body(json(location.substring(location.length() - 8).toUpperCase(), name, "toys", "10.00", "EUR"))
			.exchange();
	}

	private RestTestClient.ResponseSpec send(String body) {
		return this.admin.post().uri("/api/products").contentType(MediaType.APPLICATION_JSON).body(body).exchange();
	}

	private BodyContentSpec invalid(String body) {
		return send(body).expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/validation")
			.jsonPath("$.title").isEqualTo("Invalid request")
			.jsonPath("$.status").isEqualTo(400)
			.jsonPath("$.instance").isEqualTo("/api/products");
	}

	static String json(String sku, String name, String category, String price, String currency) {
		return """
				{"sku": "%s", "name": "%s", "category": "%s", "price": %s, "currency": "%s"}"""
			.formatted(sku, name, category, price, currency);
	}

}
