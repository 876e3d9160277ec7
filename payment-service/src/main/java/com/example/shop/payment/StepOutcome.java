package com.example.shop.payment;

import java.util.UUID;

/** What {@link Payments#capture}, {@link Payments#voidAuthorization} and {@link Payments#refund} answer. */
public sealed interface StepOutcome {

	/**
	 * The step's goal holds now.
	 *
	 * @param repeated true when it already held before this call (a redelivered command), so nothing changed
	 */
	record Completed(Payment payment, boolean repeated) implements StepOutcome {
	}

	/**
	 * The step is not possible in the payment's state (capturing a declined payment, refunding an uncaptured
	 * one, anything for an order without a payment) or the provider refused it. Final: retrying changes
	 * nothing.
	 *
	 * @param status the payment's status, null when the order has no payment
	 * @param detail for a human: which payment, which state, what the step needs
	 */
	record Refused(UUID orderId, PaymentStatus status, String detail) implements StepOutcome {
	}

	/**
	 * The provider did not answer in time or failed transiently; nothing changed here. The caller retries
	 * later: the provider's side of every step is idempotent.
	 */
	record ProviderUnavailable(UUID paymentId, String reason) implements StepOutcome {
	}

}
