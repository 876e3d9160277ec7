package com.example.shop.notification.email;

/**
 * The SMTP server could not take the email now: unreachable, too slow (a timeout), or a 4xx answer. Thrown
 * from the listener so libs/messaging moves the delivery to its next retry tier.
 */
public class TransientEmailFailureException extends RuntimeException {

	TransientEmailFailureException(String message, Throwable cause) {
		super(message, cause);
	}

}
