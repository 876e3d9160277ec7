package com.example.shop.messaging.envelope;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

import com.google.protobuf.Message;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What every message on Kafka and RabbitMQ looks like: identity and provenance around a JSON payload.
 * <p>
 * {@code id} is what consumers deduplicate on (the inbox), {@code type} + {@code version} name the payload
 * schema, {@code correlationId} ties the messages of one business transaction together (the order id in the
 * saga) and is also the Kafka record key, {@code traceparent}/{@code tracestate} continue the producer's
 * trace. The payload is one of the messages defined in proto/ ({@link MessageContract}): {@link #of} makes an
 * envelope of one, {@link MessageContract#read} reads it back.
 *
 * @param id unique per message; a redelivery or a replay keeps it
 * @param type the payload's message type, for example {@code ReserveStock}
 * @param version the payload schema version of that type, from 1
 * @param source the service that made the message, for example {@code order-service}
 * @param time when the message was made, UTC
 * @param correlationId the business transaction it belongs to (order id)
 * @param traceparent W3C traceparent of the producer's span, or null
 * @param tracestate W3C tracestate, or null
 * @param payload the message body proper, a JSON object
 */
public record MessageEnvelope(UUID id, String type, int version, String source, Instant time, String correlationId,
		@Nullable String traceparent, @Nullable String tracestate, JsonNode payload) {

	public MessageEnvelope {
		Objects.requireNonNull(id, "id");
		requireText(type, "type");
		requireText(source, "source");
		Objects.requireNonNull(time, "time");
		requireText(correlationId, "correlationId");
		Objects.requireNonNull(payload, "payload");
		if (version < 1) {
			throw new IllegalArgumentException("version must be 1 or more, was " + version);
		}
		if (!payload.isObject()) {
			throw new IllegalArgumentException("payload must be a JSON object, was " + payload.getNodeType());
		}
	}

	/**
	 * A new message of a proto/ type, with a fresh id, the current time and the calling thread's trace context;
	 * type, version and correlation id come from the message's contract (its name, its package's version, its
	 * {@code (shop.messaging.v1.correlation_id)} field).
	 * @throws IllegalStateException when the type marks no correlation field: use {@link #of(String, String, Message)}
	 */
	public static <T extends Message> MessageEnvelope of(String source, T payload) {
		MessageContract<T> contract = MessageContract.of(payload);
		return of(source, contract.correlationId(payload), payload);
	}

	/** A new message of a proto/ type, correlated by {@code correlationId}. */
	public static <T extends Message> MessageEnvelope of(String source, String correlationId, T payload) {
		MessageContract<T> contract = MessageContract.of(payload);
		TraceContext trace = TraceContext.current();
		return new MessageEnvelope(UUID.randomUUID(), contract.type(), contract.version(), source,
				Instant.now().truncatedTo(ChronoUnit.MILLIS), correlationId, trace.traceparent(), trace.tracestate(),
				MessageEnvelopeCodec.readTree(contract.toJson(payload)));
	}

	/**
	 * A new message with a fresh id, the current time and the calling thread's trace context, for payloads that
	 * proto/ does not describe (the library's own tests); the services' messages are made with {@link #of}.
	 * @param payload a record or other object Jackson writes as a JSON object
	 */
	public static MessageEnvelope create(String type, int version, String source, String correlationId,
			Object payload) {
		TraceContext trace = TraceContext.current();
		return new MessageEnvelope(UUID.randomUUID(), type, version, source, Instant.now().truncatedTo(ChronoUnit.MILLIS),
				correlationId, trace.traceparent(), trace.tracestate(), MessageEnvelopeCodec.toJsonTree(payload));
	}

	/**
	 * The payload as the consumer's own class. Unknown properties are ignored, so a producer may add fields to
	 * a version without breaking consumers (see the schema rules in the README).
	 * @throws MalformedMessageException when the payload does not fit {@code payloadType}
	 */
	public <T> T payloadAs(Class<T> payloadType) {
		try {
			T value = MessageEnvelopeCodec.fromJsonTree(this.payload, payloadType);
			if (value == null) {
				throw new MalformedMessageException(describe() + " has an empty payload");
			}
			return value;
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException(
					describe() + " payload is not a valid " + payloadType.getSimpleName() + ": " + ex.getOriginalMessage(),
					ex);
		}
	}

	/** {@code ReserveStock v1 3f1c...}: for log lines and error messages. */
	public String describe() {
		return this.type + " v" + this.version + " " + this.id;
	}

	private static void requireText(String value, String name) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException(name + " must not be blank");
		}
	}

}
