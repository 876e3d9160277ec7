package com.example.shop.security;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library's filter chain over real HTTP, with tokens of {@link TestTokens}' issuer: each way a token can be
 * wrong is a 401 problem+json with a {@code WWW-Authenticate} challenge, a missing role a 403, and what is allowed
 * passes with the caller's identity.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@UsesInfrastructure(Infrastructure.TOKENS)
@ExtendWith(OutputCaptureExtension.class)
class ResourceServerTests {

	private static final TestTokens tokens = TestTokens.issuer();

	@Autowired
	RestTestClient client;

	@Test
	void anOpenEndpointNeedsNoToken() {
		this.client.get().uri("/api/open").exchange().expectStatus().isOk();
	}

	/** The OpenAPI description is public; the path opens for reading it only, nothing beside it. */
	@Test
	void theOpenApiDescriptionNeedsNoToken() {
		this.client.get().uri("/v3/api-docs").exchange().expectStatus().isOk();
		this.client.post().uri("/v3/api-docs").exchange().expectStatus().isUnauthorized();
		this.client.get().uri("/v3/api-docs.yaml").exchange().expectStatus().isUnauthorized();
		this.client.get().uri("/v3/api-docs/swagger-config").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void withoutATokenTheAnswerIs401WithAChallengeAsProblemJson() {
		this.client.get()
			.uri("/api/mine")
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge).startsWith("Bearer"))
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(401)
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/unauthorized")
			.jsonPath("$.instance").isEqualTo("/api/mine");
	}

	@Test
	void everyKindOfBadTokenIs401AndTheTokenIsNeitherEchoedNorLogged(CapturedOutput output) {
		assertRefused("expired", t -> t.issuedAt(Instant.now().minus(Duration.ofMinutes(10)))
			.expiresAt(Instant.now().minus(Duration.ofMinutes(2)))
			.sign());
		assertRefused("not yet valid", t -> t.notBefore(Instant.now().plus(Duration.ofMinutes(5))).sign());
		assertRefused("without expiry", t -> t.expiresAt(null).sign());
		assertRefused("signed by a stranger", t -> t.signedByStranger().sign());
		assertRefused("alg none", t -> t.unsigned());
		assertRefused("HS256 with the public key", t -> t.signedWithPublicKeyAsHmacSecret());
		assertRefused("another issuer", t -> t.issuer("http://127.0.0.1:1/realms/shop").sign());
		assertRefused("another audience", t -> t.audience("some-other-api").sign());
		assertRefused("garbage", t -> "not.a.jwt");
		assertThat(output.getAll()).doesNotContain("eyJ");
	}

	@Test
	void anExpiredTokenWithinTheClockSkewIsStillAccepted() {
		String token = tokens.token()
			.roles("customer")
			.issuedAt(Instant.now().minus(Duration.ofMinutes(5)))
			.expiresAt(Instant.now().minusSeconds(5))
			.sign();
		this.client.get().uri("/api/mine").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
			.expectStatus().isOk();
	}

	@Test
	void theCallerIsTheTokensSubject() {
		String answer = this.client.get()
			.uri("/api/mine")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.customer("c-42"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(answer).isEqualTo("c-42 c-42@example.com admin=false");
	}

	@Test
	void aCustomerOnAnEndpointNotNamedByTheRulesIs403BecauseOnlyAdminsMayCallThose(CapturedOutput output) {
		this.client.post()
			.uri("/api/things")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.anyCustomer())
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader()
			.value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge).contains("insufficient_scope"))
			.expectBody()
			.jsonPath("$.type").isEqualTo("https://shop.example.com/problems/forbidden");
		assertThat(output.getAll()).doesNotContain("audit subject=");
	}

	@Test
	void anAdminMayAndLeavesAnAuditLine(CapturedOutput output) {
		this.client.post().uri("/api/things").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.admin()).exchange()
			.expectStatus().isOk();
		// Written once the request is done, which may be a moment after the client has the answer.
		awaitOutput(output, "audit subject=test-admin action=POST target=/api/things status=200");
	}

	@Test
	void aServiceTokenIsJudgedByItsScopes() {
		this.client.get()
			.uri("/api/for-services")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.service("notification-service", "orders.read"))
			.exchange()
			.expectStatus()
			.isOk();
		this.client.get()
			.uri("/api/for-services")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.service("inventory-service", "catalog.read"))
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void thePathsTheFirewallRefusesAre400Problems() {
		this.client.get()
			.uri("/api/open;jsessionid=x")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(400);
	}

	@Test
	void theProtectedResourceMetadataNamesTheRealm() {
		this.client.get()
			.uri("/.well-known/oauth-protected-resource")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.authorization_servers[0]").isEqualTo(tokens.issuerUri())
			.jsonPath("$.tls_client_certificate_bound_access_tokens").isEqualTo(false);
	}

	@Test
	void healthNeedsNoToken() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

	private static void awaitOutput(CapturedOutput output, String line) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (!output.getAll().contains(line) && System.nanoTime() < deadline) {
			sleep(20);
		}
		assertThat(output.getAll()).contains(line);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void assertRefused(String kind, Function<TestTokens.Token, String> token) {
		String value = token.apply(tokens.token().roles("customer"));
		this.client.get()
			.uri("/api/mine")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + value)
			.exchange()
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

}
