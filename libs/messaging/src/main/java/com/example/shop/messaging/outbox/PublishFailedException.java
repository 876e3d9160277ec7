package com.example.shop.messaging.outbox;

/**
 * The broker did not acknowledge a message. Whatever the {@link Reason}, the row stays unsent and the relay
 * publishes it again after its backoff; the reason decides what else the relay tries in the same batch, and
 * what it counts.
 */
public class PublishFailedException extends Exception {

	/** Why the broker did not take the message. */
	public enum Reason {

		/**
		 * Waiting for the rest of the batch on that broker would only repeat the timeout (broker down,
		 * unreachable, no answer in time): those rows wait for the next poll.
		 */
		BROKER_UNAVAILABLE,

		/**
		 * A queue the message was routed to refused it: full ({@code x-overflow: reject-publish}), or, rarely, not
		 * able to take messages at that moment (a quorum queue without a majority). The broker is there and the
		 * message is fine; the queue takes it again once its consumer has made room. Counted in
		 * {@code outbox.publish.rejected}.
		 */
		QUEUE_FULL,

		/** This one message was refused (unroutable, no such exchange, too large). */
		MESSAGE_REFUSED

	}

	private final Reason reason;

	public PublishFailedException(String message, Reason reason, Throwable cause) {
		super(message, cause);
		this.reason = reason;
	}

	public PublishFailedException(String message, Reason reason) {
		super(message);
		this.reason = reason;
	}

	/** @param brokerUnavailable {@link Reason#BROKER_UNAVAILABLE} if true, else {@link Reason#MESSAGE_REFUSED} */
	public PublishFailedException(String message, boolean brokerUnavailable, Throwable cause) {
		this(message, reasonOf(brokerUnavailable), cause);
	}

	/** @param brokerUnavailable {@link Reason#BROKER_UNAVAILABLE} if true, else {@link Reason#MESSAGE_REFUSED} */
	public PublishFailedException(String message, boolean brokerUnavailable) {
		this(message, reasonOf(brokerUnavailable));
	}

	public Reason reason() {
		return this.reason;
	}

	public boolean brokerUnavailable() {
		return this.reason == Reason.BROKER_UNAVAILABLE;
	}

	private static Reason reasonOf(boolean brokerUnavailable) {
		return brokerUnavailable ? Reason.BROKER_UNAVAILABLE : Reason.MESSAGE_REFUSED;
	}

}
