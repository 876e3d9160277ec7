package com.example.shop.systemtests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.shop.testsupport.KeycloakServer;

/**
 * A demo user of the realm, logged in the way docs/security.md's one-liner does it (the dev-only terminal client), with
 * the access token kept until shortly before it expires, so a long test never sends an expired one.
 */
final class Login implements Supplier<String> {

	private static final Pattern EXPIRY = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

	private final KeycloakServer keycloak;

	private final String username;

	private final String password;

	private String token;

	private Instant renewAfter = Instant.MIN;

	Login(KeycloakServer keycloak, String username, String password) {
		this.keycloak = keycloak;
		this.username = username;
		this.password = password;
	}

	@Override
	public synchronized String get() {
		if (this.token == null || Instant.now().isAfter(this.renewAfter)) {
			this.token = this.keycloak.passwordToken(this.username, this.password);
			this.renewAfter = expiryOf(this.token).minus(Duration.ofSeconds(30));
		}
		return this.token;
	}

	/** The token's subject: the customer id the platform gives this user. */
	String subject() {
		Matcher subject = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"").matcher(payload(get()));
		if (!subject.find()) {
			throw new IllegalStateException("No subject in " + this.username + "'s token");
		}
		return subject.group(1);
	}

	private static Instant expiryOf(String token) {
		Matcher expiry = EXPIRY.matcher(payload(token));
		return expiry.find() ? Instant.ofEpochSecond(Long.parseLong(expiry.group(1))) : Instant.now();
	}

	private static String payload(String token) {
		return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
	}

}
