package com.example.shop.payment;

/**
 * A request to {@link Payments} that can never succeed as sent (no order id, a negative amount, an unknown
 * currency, no token). Not retryable: the messaging adapter dead-letters the command that carried it.
 */
public class InvalidPaymentRequestException extends IllegalArgumentException {

	public InvalidPaymentRequestException(String message) {
		super(message);
	}

}
