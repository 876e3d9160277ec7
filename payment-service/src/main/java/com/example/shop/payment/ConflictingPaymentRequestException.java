package com.example.shop.payment;

/**
 * An authorization for an order that already has a payment for a different amount or currency. A
 * redelivery always repeats the original amount, so this is not a repeat but a second, different payment
 * for the same order, which the one-payment-per-order rule forbids. Not retryable; needs a person.
 */
public class ConflictingPaymentRequestException extends IllegalStateException {

	public ConflictingPaymentRequestException(String message) {
		super(message);
	}

}
