package com.example.shop.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import com.example.shop.testsupport.TestTokens;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Tokens for the gateway's tests: the test JVM's issuer from libs/test-support (RS256 keys of its own, served as a
 * JWK set on loopback like Keycloak's), and the properties that make the gateway trust it instead of the realm.
 */
final class Tokens {

	static final TestTokens ISSUER = TestTokens.issuer();

	private Tokens() {
	}

	/** For a test's {@code @DynamicPropertySource}: the gateway checks tokens against the test issuer. */
	static void trustTestIssuer(DynamicPropertyRegistry registry) {
		registry.add("shop.security.issuer-uri", ISSUER::issuerUri);
		registry.add("shop.security.jwk-set-uri", ISSUER::jwkSetUri);
	}

	static String admin() {
		return ISSUER.admin();
	}

	/** A client's service account, named as Keycloak names it (preferred_username service-account-<client>). */
	static String serviceAccount(String clientId) {
		return ISSUER.token()
			.claim("azp", clientId)
			.claim("preferred_username", "service-account-" + clientId)
			.sign();
	}

	/** A customer with a fresh subject. */
	static String customer() {
		return ISSUER.anyCustomer();
	}

	/**
	 * A customer's token that expired at {@code expiry}, issued five minutes before, as Keycloak's would be
	 * ({@code TestTokens}' builder issues every token now, and a token issued after its expiry is refused as
	 * malformed before its expiry is even looked at).
	 */
	static String expiredCustomer(Instant expiry) {
		return ISSUER.token()
			.roles("customer")
			.claim("iat", Date.from(expiry.minus(Duration.ofMinutes(5))))
			.expiresAt(expiry)
			.sign();
	}

}
