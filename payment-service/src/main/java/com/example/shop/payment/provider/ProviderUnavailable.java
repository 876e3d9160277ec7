package com.example.shop.payment.provider;

/**
 * No answer from the provider: the call timed out or failed transiently. Nothing is known about whether
 * the provider acted; asking again with the same idempotency key is safe and finds out.
 *
 * When this service holds a call back itself ({@link #RATE_LIMITED}), the provider was not asked at all.
 *
 * @param reason {@link #TIMEOUT}, {@link #ERROR} or {@link #RATE_LIMITED}
 */
public record ProviderUnavailable(String reason) implements AuthorizationResponse, StepResponse {

	public static final String TIMEOUT = "provider_timeout";

	public static final String ERROR = "provider_error";

	public static final String RATE_LIMITED = "provider_rate_limited";

	public static ProviderUnavailable rateLimited() {
		return new ProviderUnavailable(RATE_LIMITED);
	}

	public static ProviderUnavailable timeout() {
		return new ProviderUnavailable(TIMEOUT);
	}

	public static ProviderUnavailable error() {
		return new ProviderUnavailable(ERROR);
	}

}
