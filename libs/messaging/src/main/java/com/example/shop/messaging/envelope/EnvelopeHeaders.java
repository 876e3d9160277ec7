package com.example.shop.messaging.envelope;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker header names carrying the envelope's identity beside the body, the same on Kafka (record headers)
 * and RabbitMQ (application headers; the id is also the AMQP {@code message-id} property), so tooling and
 * dead-letter listings can tell messages apart without parsing bodies.
 */
public final class EnvelopeHeaders {

	public static final String MESSAGE_ID = "message-id";

	public static final String MESSAGE_TYPE = "message-type";

	public static final String MESSAGE_VERSION = "message-version";

	public static final String MESSAGE_SOURCE = "message-source";

	public static final String CORRELATION_ID = "correlation-id";

	/** W3C Trace Context header names, so tracing instrumentation of either broker recognises them. */
	public static final String TRACEPARENT = "traceparent";

	public static final String TRACESTATE = "tracestate";

	private EnvelopeHeaders() {
	}

	/**
	 * The broker headers of an outbox row as it is published now: the stored ones, with the trace context of
	 * the publishing span (the relay's, a child of the stored one) in place of the stored trace context, so
	 * the consumer's span follows the publish span. Without a current span the stored headers go unchanged.
	 */
	public static Map<String, String> forPublishing(Map<String, String> stored) {
		TraceContext publishing = TraceContext.current();
		if (publishing.traceparent() == null) {
			return stored;
		}
		Map<String, String> headers = new LinkedHashMap<>(stored);
		headers.put(TRACEPARENT, publishing.traceparent());
		if (publishing.tracestate() != null) {
			headers.put(TRACESTATE, publishing.tracestate());
		}
		else {
			headers.remove(TRACESTATE);
		}
		return headers;
	}

	/** The headers of one envelope, in a stable order; trace headers only when the envelope has them. */
	public static Map<String, String> of(MessageEnvelope envelope) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(MESSAGE_ID, envelope.id().toString());
		headers.put(MESSAGE_TYPE, envelope.type());
		headers.put(MESSAGE_VERSION, Integer.toString(envelope.version()));
		headers.put(MESSAGE_SOURCE, envelope.source());
		headers.put(CORRELATION_ID, envelope.correlationId());
		if (envelope.traceparent() != null) {
			headers.put(TRACEPARENT, envelope.traceparent());
		}
		if (envelope.tracestate() != null) {
			headers.put(TRACESTATE, envelope.tracestate());
		}
		return headers;
	}

}
