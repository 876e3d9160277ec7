package com.example.shop.messaging.rabbit;

/** Headers the listener-side error handling puts on messages it moves to a retry tier or to {@code Q.dlq}. */
public final class RetryHeaders {

	/** How many retry tiers the message has been through: 1 on its way to {@code Q.retry.1}, and so on. */
	public static final String RETRY_COUNT = "x-retry-count";

	public static final String EXCEPTION_CLASS = "x-exception-class";

	/** The failure's message, truncated ({@code shop.messaging.rabbit.dead-letter-message-limit}). */
	public static final String EXCEPTION_MESSAGE = "x-exception-message";

	/** The queue the message failed in, where a replay sends it back to. */
	public static final String ORIGINAL_QUEUE = "x-original-queue";

	/** ISO-8601 UTC instant of the last failure. */
	public static final String FAILED_AT = "x-failed-at";

	/**
	 * A UUID given to each copy moved to {@code Q.dlq}: the broker-side identity of the dead letter, so
	 * ingesting it into the {@code dead_letter} table twice stores it once.
	 */
	public static final String DEAD_LETTER_ID = "x-dead-letter-id";

	private RetryHeaders() {
	}

}
