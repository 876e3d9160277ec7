package com.example.shop.messaging.envelope;

/**
 * A message that can never be processed as it is: not JSON, a required envelope field missing or of the
 * wrong kind, a payload that does not fit its type. Retrying cannot help, so the Kafka and RabbitMQ error
 * handling of this library send it to its dead letter at once instead of retrying.
 * <p>
 * Services throw it too when a payload is well-formed JSON but breaks their own rules.
 */
public class MalformedMessageException extends RuntimeException {

	public MalformedMessageException(String message) {
		super(message);
	}

	public MalformedMessageException(String message, Throwable cause) {
		super(message, cause);
	}

}
