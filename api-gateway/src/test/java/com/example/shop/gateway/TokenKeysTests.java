package com.example.shop.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.gateway.RecordingDownstream.Reply;

import static com.example.shop.gateway.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the gateway gets the realm's keys: fetched on the first token, with a deadline (1 s here, 3 s in
 * application.yml), then cached, and fetched again only for a key id it has not seen (Keycloak's key rotation).
 * The key set is served by a recording server, a copy of the test issuer's, so every fetch is counted; the
 * issuer itself stays the test issuer's.
 */
@GatewayTest
class TokenKeysTests {

	private static final RecordingDownstream keySet = RecordingDownstream.start();

	private static final RecordingDownstream orderService = RecordingDownstream.start();

	private static final String KEYS = fetch(Tokens.ISSUER.jwkSetUri());

	@DynamicPropertySource
	static void registerDownstreamAndKeySet(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri", orderService::uri);
		registry.add("shop.security.issuer-uri", Tokens.ISSUER::issuerUri);
		registry.add("shop.security.jwk-set-uri", () -> keySet.uri() + "/realms/shop/protocol/openid-connect/certs");
		registry.add("shop.security.key-fetch-timeout", () -> "1s");
	}

	@AfterAll
	static void stopDownstreams() {
		keySet.close();
		orderService.close();
	}

	@LocalServerPort
	int port;

	@Test
	void fetchesTheKeysWithADeadlineThenOnlyForAnUnknownKeyId() throws Exception {
		GatewayClient gateway = new GatewayClient(port);

		// Keycloak hangs: the request gets 503 once the deadline has passed, not when Keycloak wakes up.
		keySet.answer(request -> Reply.json(200, KEYS).after(Duration.ofSeconds(5)));
		Instant start = Instant.now();
		JsonNode problem = assertProblem(gateway.as(Tokens.customer()).get("/api/orders/o-1"), 503,
				"Service unavailable");
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofMillis(2500));
		assertThat(problem.path("detail").asString()).contains("keys could not be fetched");
		assertThat(orderService.received()).isEmpty();

		// Keycloak is back: one fetch, then every token is checked against the cached keys.
		keySet.reset();
		keySet.answer(request -> Reply.json(200, KEYS));
		for (int i = 0; i < 20; i++) {
			assertThat(gateway.as(Tokens.customer()).get("/api/orders/o-1").statusCode()).isEqualTo(200);
		}
		assertThat(keySet.received()).hasSize(1);

		// A key id the cached set does not have: fetched again (it might be a new key); still unknown, so 401.
		HttpResponse<String> rotated = gateway.get("/api/orders/o-1", "Authorization", "Bearer " + signedByUnknownKey());
		assertThat(assertProblem(rotated, 401, "Unauthorized").path("detail").asString())
			.isEqualTo("The bearer token is not accepted: it is not signed with a key of the shop realm");
		assertThat(keySet.received()).hasSize(2);

		for (int i = 0; i < 5; i++) {
			assertThat(gateway.as(Tokens.admin()).get("/api/orders/o-1").statusCode()).isEqualTo(200);
		}
		assertThat(keySet.received()).hasSize(2);
	}

	/** A token valid in every claim, signed by a key with an id the realm never published. */
	private static String signedByUnknownKey() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("rotated-key").generate();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(Tokens.ISSUER.issuerUri())
			.audience(List.of("shop-api"))
			.subject("c-1")
			.expirationTime(Date.from(Instant.now().plusSeconds(300)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static String fetch(String uri) {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString()).body();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot read the test issuer's key set", ex);
		}
	}

}
