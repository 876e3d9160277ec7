package com.example.shop.notification.email;

/**
 * An email that can never be sent as it is: an invalid recipient address, a 5xx rejection by the SMTP server,
 * a template that does not exist. Retrying would fail the same way, so the delivery is parked at once.
 */
public class PermanentEmailFailureException extends RuntimeException {

	PermanentEmailFailureException(String message, Throwable cause) {
		super(message, cause);
	}

}
