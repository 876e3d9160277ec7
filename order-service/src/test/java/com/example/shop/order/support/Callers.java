package com.example.shop.order.support;

import java.util.function.Consumer;

import com.example.shop.testsupport.TestTokens;

import org.springframework.http.HttpHeaders;

/**
 * The {@code Authorization} header of a request, as one kind of caller or another, with tokens of
 * {@link TestTokens}' issuer (which {@link OrderServiceTest} points the service at):
 * {@code client.get().uri(...).headers(Callers.customer(id))}. A customer's id is their token's subject.
 */
public final class Callers {

	private Callers() {
	}

	public static TestTokens tokens() {
		return TestTokens.issuer();
	}

	/** The customer whose id (the token's subject) is {@code customerId}; e-mail {@code <id>@example.com}. */
	public static Consumer<HttpHeaders> customer(String customerId) {
		return bearer(tokens().customer(customerId));
	}

	/** An admin (subject {@code test-admin}, not a customer id). */
	public static Consumer<HttpHeaders> admin() {
		return bearer(tokens().admin());
	}

	/** A service account's client-credentials token with these scopes and no roles. */
	public static Consumer<HttpHeaders> service(String clientId, String... scopes) {
		return bearer(tokens().service(clientId, scopes));
	}

	public static Consumer<HttpHeaders> bearer(String token) {
		return (headers) -> headers.setBearerAuth(token);
	}

	/** The header's value, for clients other than RestTestClient. */
	public static String bearerOf(String customerId) {
		return "Bearer " + tokens().customer(customerId);
	}

}
