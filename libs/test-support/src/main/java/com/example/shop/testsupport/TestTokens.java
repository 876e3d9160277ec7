package com.example.shop.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Tokens shaped like the shop realm's, signed by a key of this test JVM, whose public half is served on loopback
 * as a JWK set the way Keycloak serves the realm's. A service under test points {@code shop.security.*} at it
 * ({@code @UsesInfrastructure(TOKENS)}) and then checks these tokens exactly as it checks Keycloak's: the same
 * decoder, signature, issuer, audience and expiry checks, only another key.
 * <p>
 * Tests of the real login (Keycloak itself, its realm file, client credentials) use {@code keycloak()} instead;
 * these are for the many tests that need "a customer", "another customer", "an admin" or "a broken token".
 */
public final class TestTokens {

	public static final String AUDIENCE = "shop-api";

	private static TestTokens shared;

	private final RSAKey key;

	private final RSAKey strangersKey;

	private final HttpServer server;

	private final String issuerUri;

	private TestTokens() {
		try {
			this.key = new RSAKeyGenerator(2048).keyID("test-realm-key").generate();
			this.strangersKey = new RSAKeyGenerator(2048).keyID("test-realm-key").generate();
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (JOSEException | IOException ex) {
			throw new IllegalStateException("Cannot set up the test token issuer", ex);
		}
		byte[] keySet = new JWKSet(this.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		this.server.createContext("/realms/shop/protocol/openid-connect/certs", exchange -> {
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, keySet.length);
			try (OutputStream body = exchange.getResponseBody()) {
				body.write(keySet);
			}
		});
		this.server.start();
		this.issuerUri = "http://127.0.0.1:" + this.server.getAddress().getPort() + "/realms/shop";
	}

	/** The issuer of this test JVM, started on first use. */
	public static synchronized TestTokens issuer() {
		if (shared == null) {
			shared = new TestTokens();
		}
		return shared;
	}

	public String issuerUri() {
		return issuerUri;
	}

	public String jwkSetUri() {
		return issuerUri + "/protocol/openid-connect/certs";
	}

	/**
	 * A decoder that accepts this issuer's tokens as the platform's services do (RS256 against its keys, expiry,
	 * issuer, audience): for stand-ins of services, which check their callers' tokens like the real ones.
	 */
	public JwtDecoder decoder() {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri()).jwsAlgorithm(SignatureAlgorithm.RS256).build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(new JwtIssuerValidator(issuerUri()),
				new JwtClaimValidator<List<String>>("aud", audience -> audience != null && audience.contains(AUDIENCE))));
		return decoder;
	}

	/** Properties pointing a service at this issuer. */
	public List<String> serviceProperties() {
		return List.of("shop.security.issuer-uri=" + issuerUri(), "shop.security.jwk-set-uri=" + jwkSetUri());
	}

	/** A customer whose subject (and so customer id) is {@code subject}. */
	public String customer(String subject) {
		return token().subject(subject).roles("customer").email(subject + "@example.com").sign();
	}

	/** A customer with a fresh subject: a stranger to every other test's data. */
	public String anyCustomer() {
		return customer(UUID.randomUUID().toString());
	}

	public String admin() {
		return token().subject("test-admin").roles("admin").email("admin@example.com").sign();
	}

	/** A service account's client-credentials token: no roles, the given scopes. */
	public String service(String clientId, String... scopes) {
		return token().subject("service-account-" + clientId).scopes(scopes).claim("azp", clientId).sign();
	}

	public Token token() {
		return new Token();
	}

	/** One token, valid unless a method below makes it otherwise. */
	public final class Token {

		private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuerUri)
			.audience(List.of(AUDIENCE, "account"))
			.subject(UUID.randomUUID().toString())
			.jwtID(UUID.randomUUID().toString())
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))));

		private RSAKey signingKey = key;

		public Token subject(String subject) {
			claims.subject(subject);
			return this;
		}

		public Token roles(String... roles) {
			claims.claim("realm_access", Map.of("roles", List.of(roles)));
			return this;
		}

		public Token scopes(String... scopes) {
			claims.claim("scope", String.join(" ", scopes));
			return this;
		}

		public Token email(String email) {
			claims.claim("email", email);
			return this;
		}

		public Token claim(String name, Object value) {
			claims.claim(name, value);
			return this;
		}

		public Token issuer(String issuer) {
			claims.issuer(issuer);
			return this;
		}

		public Token audience(String... audience) {
			claims.audience(new ArrayList<>(List.of(audience)));
			return this;
		}

		public Token expiresAt(Instant expiry) {
			claims.expirationTime(expiry == null ? null : Date.from(expiry));
			return this;
		}

		public Token issuedAt(Instant issued) {
			claims.issueTime(Date.from(issued));
			return this;
		}

		public Token notBefore(Instant notBefore) {
			claims.notBeforeTime(Date.from(notBefore));
			return this;
		}

		/** Signed with a key the realm never published, under the realm key's id. */
		public Token signedByStranger() {
			signingKey = strangersKey;
			return this;
		}

		public String sign() {
			try {
				SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
					.type(JOSEObjectType.JWT)
					.build(), claims.build());
				jwt.sign(new RSASSASigner(signingKey));
				return jwt.serialize();
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** {@code alg: none}: the claims, no signature. */
		public String unsigned() {
			return new PlainJWT(claims.build()).serialize();
		}

		/** HS256 with the realm's public key as the shared secret: the classic algorithm-confusion attack. */
		public String signedWithPublicKeyAsHmacSecret() {
			try {
				SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(),
						claims.build());
				jwt.sign(new MACSigner(key.toPublicJWK().toRSAPublicKey().getEncoded()));
				return jwt.serialize();
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
