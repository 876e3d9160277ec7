package com.example.shop.payment.provider;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A card payment provider, as payment-service needs one. The built-in implementation is the
 * {@link SimulatedPaymentProvider}; a real provider's HTTP client would implement the same interface.
 * <p>
 * Every call carries the caller's deadline: an implementation must give up by then (a remote one sets its
 * read timeout from it). {@link ProviderClient} enforces the deadline in any case.
 * <p>
 * Authorizations are identified by the caller's idempotency key: the provider answers every request with
 * the same key with the same final answer and never charges twice for one key. Capture, void and refund
 * name the authorization by that key; they are idempotent by state (capturing a captured authorization
 * succeeds and changes nothing).
 */
public interface PaymentProvider {

	/**
	 * Asks the provider to hold {@code amount} on the card behind {@code token}.
	 * @param idempotencyKey identifies this authorization for every later call (payment-service: the
	 * payment id)
	 */
	AuthorizationResponse authorize(String idempotencyKey, BigDecimal amount, String currency, String token,
			Instant deadline);

	/** Takes the money held by the authorization. */
	StepResponse capture(String authorizationKey, Instant deadline);

	/**
	 * Releases the hold. Also valid before the authorization was answered: the provider then refuses that
	 * authorization for good, so an in-flight or lost authorization can never hold money later.
	 */
	StepResponse voidAuthorization(String authorizationKey, Instant deadline);

	/** Gives captured money back. */
	StepResponse refund(String authorizationKey, Instant deadline);

}
