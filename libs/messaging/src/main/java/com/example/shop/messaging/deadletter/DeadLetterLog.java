package com.example.shop.messaging.deadletter;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one WARN line written for every message that is dead-lettered, on either broker, with the trace id of
 * the message's {@code traceparent} in the MDC ({@code traceId}), so the line shows up beside the producer's
 * trace in the logs: a dead letter is an operator's case, and this is where its story starts.
 */
public final class DeadLetterLog {

	private static final Logger log = LoggerFactory.getLogger(DeadLetterLog.class);

	private static final String TRACE_ID = "traceId";

	private DeadLetterLog() {
	}

	/**
	 * @param traceparent the message's W3C traceparent header, or null
	 * @param source the topic or queue the message failed on
	 * @param destination the dead-letter topic or queue it went to
	 * @param reason the failure, {@code class: message}
	 */
	public static void deadLettered(@Nullable String traceparent, @Nullable String messageId,
			@Nullable String messageType, String source, String destination, String reason) {
		String traceId = traceId(traceparent);
		String previous = MDC.get(TRACE_ID);
		if (traceId != null) {
			MDC.put(TRACE_ID, traceId);
		}
		try {
			log.warn("Dead-lettered message {} (type {}) from {} to {}: {}", (messageId != null) ? messageId : "without id",
					(messageType != null) ? messageType : "unknown", source, destination, reason);
		}
		finally {
			if (traceId != null) {
				if (previous != null) {
					MDC.put(TRACE_ID, previous);
				}
				else {
					MDC.remove(TRACE_ID);
				}
			}
		}
	}

	/** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), or null. */
	static @Nullable String traceId(@Nullable String traceparent) {
		if (traceparent == null) {
			return null;
		}
		String[] parts = traceparent.trim().split("-");
		return (parts.length >= 4 && parts[1].length() == 32) ? parts[1] : null;
	}

}
