package com.example.shop.messaging.deadletter;

/** Header names of dead letters that the library itself adds (besides Spring Kafka's and {@code RetryHeaders}). */
public final class DeadLetterHeaders {

	/** On a Kafka dead letter: deliveries of the record to the listener before it was dead-lettered. */
	public static final String KAFKA_ATTEMPTS = "shop-dlt-attempts";

	private DeadLetterHeaders() {
	}

}
