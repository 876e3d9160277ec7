package com.example.shop.payment.provider;

/**
 * No answer from the provider: the call timed out or failed transiently. Nothing is known about whether
 * the provider acted; asking again with the same idempotency key is safe and finds out.
 *
 * @param reason {@link #TIMEOUT} or {@link #ERROR}
 */
public record ProviderUnavailable(String reason) implements AuthorizationResponse, StepResponse {

	public static final String TIMEOUT = "provider_timeout";

	public static final String ERROR = "provider_error";

	public static ProviderUnavailable timeout() {
		return new ProviderUnavailable(TIMEOUT);
	}

	public static ProviderUnavailable error() {
		return new ProviderUnavailable(ERROR);
	}

}
