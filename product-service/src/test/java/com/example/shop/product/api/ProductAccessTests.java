package com.example.shop.product.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call the catalog (README "Who may call what"), over real HTTP with tokens of {@link TestTokens}' issuer,
 * which the service checks exactly as it checks Keycloak's: anybody reads, only an admin writes or touches the dead
 * letters; no token where one is needed is a 401 with a challenge, a customer's or a service's token a 403, a bad
 * token a 401, each as problem+json, and a refused write changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
@ExtendWith(OutputCaptureExtension.class)
class ProductAccessTests {

	private static final TestTokens tokens = TestTokens.issuer();

	/** Seeded product 2 (Designing Data-Intensive Applications); the writes refused below must leave it as it is. */
	private static final String PRODUCT = "00000000-0000-4000-8000-000000000002";

	@Autowired
	RestTestClient client;

	/** The actuator listens on the management port only, never on the port the API is served on. */
	@LocalManagementPort
	int managementPort;

	@Test
	void anybodyReadsTheCatalogWithoutAToken() {
		this.client.get().uri("/api/products?size=1").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.page.totalElements").isEqualTo(48);
		this.client.get().uri("/api/products/{id}", PRODUCT).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.name").isEqualTo("Designing Data-Intensive Applications");
	}

	@Test
	void aCustomerAndAnAdminReadTheCatalogToo() {
		for (String token : new String[] { tokens.anyCustomer(), tokens.admin() }) {
			this.client.get().uri("/api/products?size=1").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.exchange().expectStatus().isOk();
			this.client.get().uri("/api/products/{id}", PRODUCT).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
				.exchange().expectStatus().isOk();
		}
	}

	@Test
	void healthNeedsNoTokenAndIsServedOnTheManagementPortOnly() {
		management().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/health/readiness").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
	}

	@Test
	void everyWriteWithoutATokenIs401WithAChallengeAndChangesNothing() {
		for (Write write : writes()) {
			write.send(this.client, null)
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge).as(write.name()).startsWith("Bearer"))
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/unauthorized")
				.jsonPath("$.status").isEqualTo(401)
				.jsonPath("$.instance").isEqualTo(write.path());
		}
		assertUnchanged();
	}

	@Test
	void aCustomerMayNotWriteTheCatalog403AndNothingChanges(CapturedOutput output) {
		String customer = tokens.customer(UUID.randomUUID().toString());
		for (Write write : writes()) {
			write.send(this.client, customer)
				.expectStatus()
				.isForbidden()
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE,
						challenge -> assertThat(challenge).as(write.name()).contains("insufficient_scope"))
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody()
				.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden")
				.jsonPath("$.status").isEqualTo(403)
				.jsonPath("$.instance").isEqualTo(write.path());
		}
		assertUnchanged();
		assertThat(output.getAll()).as("refused writes are not audited as admin actions").doesNotContain("audit subject=");
	}

	@Test
	void aServiceAccountsTokenMayNotWriteTheCatalogEither() {
		String service = tokens.service("order-service", "catalog.read", "inventory.read");
		for (Write write : writes()) {
			write.send(this.client, service).expectStatus().isForbidden();
		}
		assertUnchanged();
	}

	@Test
	void anAdminWritesAndEachWriteLeavesAnAuditLine(CapturedOutput output) {
		String admin = tokens.admin();
		String location = this.client.post()
			.uri("/api/products")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
			.contentType(MediaType.APPLICATION_JSON)
			.body(ProductWriteApiTests.json("ACL-0001", "Admin's product", "toys", "5.00", "EUR"))
			.exchange()
			.expectStatus()
			.isCreated()
			.returnResult(Map.class)
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		this.client.put()
			.uri(location)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
			.contentType(MediaType.APPLICATION_JSON)
			.body(ProductWriteApiTests.json("ACL-0001", "Admin's product, renamed", "toys", "6.00", "EUR"))
			.exchange()
			.expectStatus()
			.isOk();
		this.client.delete().uri(location).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin).exchange()
			.expectStatus().isNoContent();
		this.client.get().uri(location).exchange().expectStatus().isNotFound();

		awaitOutput(output, "audit subject=test-admin action=POST target=/api/products status=201");
		awaitOutput(output, "audit subject=test-admin action=PUT target=" + location + " status=200");
		awaitOutput(output, "audit subject=test-admin action=DELETE target=" + location + " status=204");
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

	@Test
	void aPathTheRulesDoNotNameIs401AnonymouslySoItsExistenceIsNotConfirmed() {
		this.client.get().uri("/api/nothing").exchange().expectStatus().isUnauthorized();
		this.client.get().uri("/api/nothing").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.anyCustomer())
			.exchange().expectStatus().isForbidden();
	}

	/**
	 * A direct call, around the gateway, with a token the realm did not issue as it is: refused like a missing one,
	 * the write is not made and the token is neither echoed nor logged.
	 */
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

	/**
	 * A token that is sent is checked, even where none is needed: a bad one on the open catalog is a 401 too (the
	 * client learns its token is bad rather than silently being treated as anonymous).
	 */
	@Test
	void aBadTokenOnTheOpenCatalogIs401() {
		String expired = tokens.token()
			.roles("customer")
			.issuedAt(Instant.now().minus(Duration.ofMinutes(10)))
			.expiresAt(Instant.now().minus(Duration.ofMinutes(2)))
			.sign();
		this.client.get().uri("/api/products/{id}", PRODUCT).header(HttpHeaders.AUTHORIZATION, "Bearer " + expired)
			.exchange().expectStatus().isUnauthorized()
			.expectHeader().value(HttpHeaders.WWW_AUTHENTICATE,
					challenge -> assertThat(challenge).startsWith("Bearer error=\"invalid_token\""));
	}

	private void assertRefused(String kind, Function<TestTokens.Token, String> token) {
		String value = token.apply(tokens.token().subject("test-admin").roles("admin"));
		for (Write write : writes()) {
			write.send(this.client, value)
				.expectStatus()
				.isUnauthorized()
				.expectHeader()
				.value(HttpHeaders.WWW_AUTHENTICATE,
						challenge -> assertThat(challenge).as(kind).startsWith("Bearer error=\"invalid_token\""))
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody(String.class)
				.value(body -> assertThat(body).as(kind + " " + write.name()).contains("\"status\":401")
					.doesNotContain(value));
		}
	}

	/** Product 2 as seeded, and no product of the refused creates. */
	private void assertUnchanged() {
		this.client.get()
			.uri("/api/products/{id}", PRODUCT)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals(HttpHeaders.ETAG, "\"0\"")
			.expectBody()
			.jsonPath("$.name").isEqualTo("Designing Data-Intensive Applications");
		this.client.get()
			.uri(b -> b.path("/api/products").queryParam("q", "DENIED-").build())
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.content").isEmpty();
	}

	private static Write[] writes() {
		String one = "/api/products/" + PRODUCT;
		return new Write[] {
				new Write("create", HttpMethod.POST, "/api/products",
						ProductWriteApiTests.json("DENIED-0001", "Not allowed", "toys", "1.00", "EUR")),
				new Write("update", HttpMethod.PUT, one,
						ProductWriteApiTests.json("BOOK-0002", "Defaced", "books", "0.01", "EUR")),
				new Write("delete", HttpMethod.DELETE, one, null) };
	}

	private record Write(String name, HttpMethod method, String path, String body) {

		RestTestClient.ResponseSpec send(RestTestClient client, String token) {
			RestTestClient.RequestBodySpec request = client.method(this.method).uri(this.path);
			if (token != null) {
				request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
			}
			if (this.body != null) {
				request.contentType(MediaType.APPLICATION_JSON).body(this.body);
			}
			return request.exchange();
		}

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


	private RestTestClient management() {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.managementPort).build();
	}

}
