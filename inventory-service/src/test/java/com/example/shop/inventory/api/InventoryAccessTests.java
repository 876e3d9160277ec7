package com.example.shop.inventory.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.example.shop.inventory.support.TestCatalog;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call inventory's REST API (README "Who may call what"), over real HTTP with tokens of {@link TestTokens}'
 * issuer, which the service checks exactly as it checks Keycloak's: anybody reads one product's stock, only an
 * admin sets it or touches the dead letters; no token where one is needed is a 401 with a challenge, a customer's
 * or a service's token a 403, a bad token a 401, each as problem+json, and a refused PUT changes nothing. Hostile
 * input on the admin endpoint is refused with its own 4xx by the edge before any token is asked for, never a 5xx.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.TOKENS })
@ExtendWith(OutputCaptureExtension.class)
class InventoryAccessTests {

	@DynamicPropertySource
	static void catalog(DynamicPropertyRegistry registry) {
		TestCatalog.register(registry);
	}

	private static final TestTokens tokens = TestTokens.issuer();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/** Seeded with 100 on hand; the PUTs refused below must leave it so. */
	private static final String PRODUCT = "00000000-0000-4000-8000-000000000003";

	@LocalServerPort
	int port;

	@Autowired
	RestTestClient client;

	@Test
	void anybodyReadsAProductsStockWithoutAToken() {
		this.client.get()
			.uri("/api/inventory/{id}", PRODUCT)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("""
					{"productId": "%s", "onHand": 100, "reserved": 0, "available": 100}""".formatted(PRODUCT),
					JsonCompareMode.STRICT);
	}

	@Test
	void aCustomerAndAnAdminReadItToo() {
		for (String token : new String[] { tokens.anyCustomer(), tokens.admin() }) {
			this.client.get().uri("/api/inventory/{id}", PRODUCT).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.exchange().expectStatus().isOk();
		}
	}

	@Test
	void settingStockWithoutATokenIs401WithAChallengeAndChangesNothing() {
		put(PRODUCT, null)
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge).startsWith("Bearer"))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/unauthorized")
			.jsonPath("$.title").isEqualTo("Unauthorized")
			.jsonPath("$.status").isEqualTo(401)
			.jsonPath("$.instance").isEqualTo("/api/inventory/" + PRODUCT);
		// nor is stock created for a product that has none
		UUID fresh = UUID.randomUUID();
		put(fresh.toString(), null).expectStatus().isUnauthorized();
		this.client.get().uri("/api/inventory/{id}", fresh).exchange().expectStatus().isNotFound();
		assertUnchanged();
	}

	@Test
	void aCustomerMayNotSetStock403AndNothingChanges(CapturedOutput output) {
		put(PRODUCT, tokens.customer(UUID.randomUUID().toString()))
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge).contains("insufficient_scope"))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden")
			.jsonPath("$.status").isEqualTo(403)
			.jsonPath("$.instance").isEqualTo("/api/inventory/" + PRODUCT);
		assertUnchanged();
		assertThat(output.getAll()).as("a refused PUT is not audited as an admin action").doesNotContain("audit subject=");
	}

	@Test
	void aServiceAccountsTokenMayNotSetStockEither() {
		put(PRODUCT, tokens.service("order-service", "inventory.read", "catalog.read")).expectStatus().isForbidden();
		assertUnchanged();
	}

	@Test
	void anAdminSetsStockAndLeavesAnAuditLine(CapturedOutput output) {
		UUID product = UUID.randomUUID();
		this.client.put()
			.uri("/api/inventory/{id}", product)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"onHand\": 3}")
			.exchange()
			.expectStatus()
			.isCreated();
		this.client.get().uri("/api/inventory/{id}", product).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.onHand").isEqualTo(3);
		awaitOutput(output, "audit subject=test-admin action=PUT target=/api/inventory/" + product + " status=201");
	}

	@Test
	void theDeadLettersAreForAdminsOnly() {
		this.client.get().uri("/admin/dead-letters").exchange().expectStatus().isUnauthorized()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.get().uri("/admin/dead-letters").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.anyCustomer())
			.exchange().expectStatus().isForbidden()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.client.post().uri("/admin/dead-letters/{id}/replay", UUID.randomUUID())
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.anyCustomer())
			.exchange().expectStatus().isForbidden();
		this.client.delete().uri("/admin/dead-letters/{id}", UUID.randomUUID()).exchange().expectStatus().isUnauthorized();
		this.client.get().uri("/admin/dead-letters").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.exchange().expectStatus().isOk()
			.expectBody().jsonPath("$").isArray();
	}

	/** Only GET and PUT exist; anything else needs an admin, who then learns it is not supported. */
	@Test
	void otherMethodsAre401AnonymouslyAnd405ForAnAdmin() {
		this.client.delete().uri("/api/inventory/{id}", PRODUCT).exchange().expectStatus().isUnauthorized();
		this.client.post().uri("/api/inventory/{id}", PRODUCT).contentType(MediaType.APPLICATION_JSON).body("{}")
			.exchange().expectStatus().isUnauthorized();
		this.client.delete().uri("/api/inventory/{id}", PRODUCT).header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin())
			.exchange().expectStatus().isEqualTo(405);
		assertUnchanged();
	}

	/** A direct call, around the gateway, with a token the realm did not issue as it is. */
	@Test
	void aDirectCallWithABadTokenIs401AndTheTokenIsNotEchoed(CapturedOutput output) {
		assertRefused("expired", t -> t.issuedAt(Instant.now().minus(Duration.ofMinutes(10)))
			.expiresAt(Instant.now().minus(Duration.ofMinutes(2)))
			.sign());
		assertRefused("signed by a stranger", t -> t.signedByStranger().sign());
		assertRefused("alg none", t -> t.unsigned());
		assertRefused("HS256 with the public key", t -> t.signedWithPublicKeyAsHmacSecret());
		assertRefused("another issuer", t -> t.issuer("http://127.0.0.1:1/realms/shop").sign());
		assertRefused("another audience", t -> t.audience("some-other-api").sign());
		assertRefused("garbage", t -> "not.a.jwt");
		assertUnchanged();
		assertThat(output.getAll()).doesNotContain("eyJ");
	}

	/** A token that is sent is checked, even where none is needed. */
	@Test
	void aBadTokenOnTheOpenReadIs401() {
		this.client.get()
			.uri("/api/inventory/{id}", PRODUCT)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.token().roles("customer").signedByStranger().sign())
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""));
	}

	@Test
	void whatTheEdgeRefusesOnThePutIsRefusedBeforeAnyTokenIsAskedFor() throws Exception {
		HttpResponse<String> trace = send(HttpRequest.newBuilder(uri("/api/inventory/" + PRODUCT))
			.method("TRACE", HttpRequest.BodyPublishers.noBody()));
		assertProblem(trace, 405, "method-not-allowed", "Method Not Allowed",
				"The method TRACE is not supported; use one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");

		assertProblem(send(HttpRequest.newBuilder(uri("/api/inventory/" + PRODUCT))
			.header("Content-Type", "*/*")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"onHand\": 1}"))), 415, "unsupported-media-type",
				"Unsupported Media Type",
				"The Content-Type of a request body must be a concrete media type such as application/json, not a wildcard");

		assertProblem(send(HttpRequest.newBuilder(uri("/api/inventory/" + PRODUCT + "?onHand=%00"))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"onHand\": 1}"))), 400, "invalid-character",
				"Invalid character", "The query parameter 'onHand' contains a control character");

		assertProblem(send(HttpRequest.newBuilder(uri("/api/inventory/" + PRODUCT + "?onHand=%C0%80"))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"onHand\": 1}"))), 400, "invalid-encoding",
				"Invalid percent-encoding",
				"The query parameter 'onHand' contains a percent-encoding that is malformed or not UTF-8");

		assertProblem(send(HttpRequest.newBuilder(uri("/admin/dead-letters?status=%FF")).GET()), 400,
				"invalid-encoding", "Invalid percent-encoding",
				"The query parameter 'status' contains a percent-encoding that is malformed or not UTF-8");
		assertUnchanged();
	}

	@Test
	void aHostileBodyOnThePutWithoutATokenIs401AndIsNeverRead() throws Exception {
		List<HttpRequest.Builder> requests = List.of(
				jsonPut("/api/inventory/" + PRODUCT, "{\"onHand\": "),
				jsonPut("/api/inventory/" + PRODUCT, "{\"onHand\": 99999999999999999999}"),
				jsonPut("/api/inventory/" + PRODUCT, "{\"onHand\": \"\\u0000\"}"),
				jsonPut("/api/inventory/not-a-uuid", "{\"onHand\": 1}"),
				HttpRequest.newBuilder(uri("/api/inventory/" + PRODUCT))
					.header("Content-Type", "text/plain")
					.PUT(HttpRequest.BodyPublishers.ofString("onHand=5")));
		for (HttpRequest.Builder request : requests) {
			HttpResponse<String> response = send(request);
			assertProblem(response, 401, "unauthorized", "Unauthorized",
					"This operation needs a bearer token from the shop realm (Authorization: Bearer ...)");
			assertThat(response.headers().firstValue(HttpHeaders.WWW_AUTHENTICATE))
				.hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
		}
		assertUnchanged();
	}

	/**
	 * Targets Spring Security's firewall refuses (a semicolon, an encoded percent sign or dot, an empty or a dot
	 * segment), on the anonymous read and on the admin PUT, with and without a token: 400, never a 5xx, never let
	 * through to an endpoint.
	 */
	@Test
	void pathsTheFirewallRefusesAre400WithOrWithoutAToken() throws Exception {
		List<String> targets = List.of("/api/inventory/" + PRODUCT + ";jsessionid=1", "/api/inventory/%25",
				"/api/inventory//" + PRODUCT, "/api/inventory/./" + PRODUCT, "/api/inventory/%2e%2e/" + PRODUCT,
				"/api/inventory/..;/admin/dead-letters");
		for (String target : targets) {
			for (String token : new String[] { null, tokens.admin() }) {
				HttpRequest.Builder read = HttpRequest.newBuilder(uri(target)).GET();
				HttpRequest.Builder write = jsonPut(target, "{\"onHand\": 1}");
				if (token != null) {
					read.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
					write.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
				}
				String who = (token != null) ? "as admin" : "without a token";
				assertThat(send(read).statusCode()).as("GET %s %s", target, who).isEqualTo(400);
				assertThat(send(write).statusCode()).as("PUT %s %s", target, who).isEqualTo(400);
			}
		}
		assertUnchanged();
	}

	private RestTestClient.ResponseSpec put(String productId, String token) {
		RestTestClient.RequestBodySpec request = this.client.put().uri("/api/inventory/" + productId);
		if (token != null) {
			request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
		}
		return request.contentType(MediaType.APPLICATION_JSON).body("{\"onHand\": 1}").exchange();
	}

	private void assertRefused(String kind, Function<TestTokens.Token, String> token) {
		String value = token.apply(tokens.token().subject("test-admin").roles("admin"));
		put(PRODUCT, value)
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE,
					challenge -> assertThat(challenge).as(kind).startsWith("Bearer error=\"invalid_token\""))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(String.class)
			.value(body -> assertThat(body).as(kind).contains("\"status\":401").doesNotContain(value));
	}

	private void assertUnchanged() {
		this.client.get()
			.uri("/api/inventory/{id}", PRODUCT)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.onHand").isEqualTo(100)
			.jsonPath("$.reserved").isEqualTo(0);
	}

	private HttpRequest.Builder jsonPut(String target, String body) {
		return HttpRequest.newBuilder(uri(target))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String target) {
		return URI.create("http://localhost:" + this.port + target);
	}

	@SuppressWarnings("unchecked")
	private static void assertProblem(HttpResponse<String> response, int status, String type, String title,
			String detail) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		Map<String, Object> problem = JSON.readValue(response.body(), Map.class);
		assertThat(problem).containsEntry("type", "https://shop.example.com/problems/" + type)
			.containsEntry("title", title)
			.containsEntry("status", status)
			.containsEntry("detail", detail)
			.containsEntry("instance", response.uri().getRawPath());
	}

	private static void awaitOutput(CapturedOutput output, String line) {
		// Written once the request is done, which may be a moment after the client has the answer.
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!output.getAll().contains(line) && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		assertThat(output.getAll()).contains(line);
	}

}
