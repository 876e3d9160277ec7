package com.example.shop.messaging.outbox;

/**
 * The broker did not acknowledge a message. {@link #brokerUnavailable()} tells the relay that waiting for
 * the rest of the batch on that broker would only repeat the timeout (broker down, unreachable, no answer in
 * time), as opposed to a refusal of this one message (unroutable, nacked, too large).
 */
public class PublishFailedException extends Exception {

	private final boolean brokerUnavailable;

	public PublishFailedException(String message, boolean brokerUnavailable, Throwable cause) {
		super(message, cause);
		this.brokerUnavailable = brokerUnavailable;
	}

	public PublishFailedException(String message, boolean brokerUnavailable) {
		super(message);
		this.brokerUnavailable = brokerUnavailable;
	}

	public boolean brokerUnavailable() {
		return this.brokerUnavailable;
	}

}
