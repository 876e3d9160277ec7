package com.example.shop.testsupport;

/** The real infrastructure a test class can ask for with {@link UsesInfrastructure}. */
public enum Infrastructure {
	POSTGRES, KAFKA, RABBITMQ, REDIS,

	/**
	 * Tokens from {@link TestTokens}: sets {@code shop.security.issuer-uri} and {@code jwk-set-uri}, and points the
	 * service's own client registration {@code shop} at {@link TokenEndpointStandIn#shared()}.
	 */
	TOKENS
}
