package com.example.shop.payment;

/**
 * A transition the state machine of {@link PaymentStatus} does not allow, such as capturing a declined
 * payment. {@link Payments} checks before it moves, so this signals a programming error, not bad input.
 */
public class IllegalPaymentTransitionException extends IllegalStateException {

	public IllegalPaymentTransitionException(Payment payment, PaymentStatus target) {
		super("Payment " + payment.id() + " of order " + payment.orderId() + " cannot go from " + payment.status()
				+ " to " + target);
	}

}
