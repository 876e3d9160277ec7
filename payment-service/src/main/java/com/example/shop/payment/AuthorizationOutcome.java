package com.example.shop.payment;

import java.util.UUID;

/**
 * What {@link Payments#authorize} answers. The same order always gets the same final answer
 * ({@link Authorized} or {@link Declined}); {@link ProviderUnavailable} is the only transient one.
 */
public sealed interface AuthorizationOutcome {

	/** The reason given when the order's payment was voided before it was ever authorized. */
	String AUTHORIZATION_VOIDED = "authorization_voided";

	/** The provider approved (now or earlier; the payment may have been captured, voided or refunded since). */
	record Authorized(Payment payment) implements AuthorizationOutcome {
	}

	/**
	 * No money is held: the provider declined ({@code reason} is its reason, e.g. {@code card_declined},
	 * {@code invalid_token}), or the order's payment was voided before it was authorized
	 * ({@link #AUTHORIZATION_VOIDED}).
	 */
	record Declined(Payment payment, String reason) implements AuthorizationOutcome {
	}

	/**
	 * The provider did not answer in time or failed transiently. The payment stays PENDING; the caller
	 * retries later (with backoff) and the retry asks the provider again with the same idempotency key, so
	 * the card is never charged twice.
	 *
	 * @param reason {@code provider_timeout} or {@code provider_error}
	 */
	record ProviderUnavailable(UUID paymentId, String reason) implements AuthorizationOutcome {
	}

}
