package com.example.shop.messaging.envelope;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes and reads the one JSON shape of {@link MessageEnvelope}, with Jackson 3.
 * <p>
 * Reading is strict about the envelope and names the first thing that is wrong ("id is not a UUID: 'x'"),
 * because that text ends up in a dead letter's headers where an operator reads it. Every refusal is a
 * {@link MalformedMessageException}, which the consumer-side error handling never retries.
 */
public final class MessageEnvelopeCodec {

	/**
	 * Plain Jackson: records, java.time and JSON-object payloads need nothing more. Unknown properties are
	 * tolerated so a producer can add a payload field without a new schema version. Decimal numbers stay
	 * BigDecimal: an amount 25.90 read as a double and written again could come out as 25.899999999999999.
	 */
	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private MessageEnvelopeCodec() {
	}

	public static String encode(MessageEnvelope envelope) {
		ObjectNode json = JSON.createObjectNode();
		json.put("id", envelope.id().toString());
		json.put("type", envelope.type());
		json.put("version", envelope.version());
		json.put("source", envelope.source());
		json.put("time", envelope.time().toString());
		json.put("correlationId", envelope.correlationId());
		if (envelope.traceparent() != null) {
			json.put("traceparent", envelope.traceparent());
		}
		if (envelope.tracestate() != null) {
			json.put("tracestate", envelope.tracestate());
		}
		json.set("payload", envelope.payload());
		return JSON.writeValueAsString(json);
	}

	/** @throws MalformedMessageException naming what is wrong */
	public static MessageEnvelope decode(byte @Nullable [] body) {
		if (body == null) {
			throw new MalformedMessageException("message has no body");
		}
		return decode(new String(body, StandardCharsets.UTF_8));
	}

	/** @throws MalformedMessageException naming what is wrong */
	public static MessageEnvelope decode(@Nullable String body) {
		if (body == null || body.isBlank()) {
			throw new MalformedMessageException("message has no body");
		}
		JsonNode json;
		try {
			json = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw new MalformedMessageException("message is not JSON: " + ex.getOriginalMessage(), ex);
		}
		if (json == null || !json.isObject()) {
			throw new MalformedMessageException("message is not a JSON object");
		}
		UUID id = uuid(json, "id");
		String type = text(json, "type");
		int version = version(json);
		String source = text(json, "source");
		Instant time = instant(json, "time");
		String correlationId = text(json, "correlationId");
		String traceparent = optionalText(json, "traceparent");
		String tracestate = optionalText(json, "tracestate");
		JsonNode payload = json.get("payload");
		if (payload == null || payload.isNull()) {
			throw new MalformedMessageException("payload is missing");
		}
		if (!payload.isObject()) {
			throw new MalformedMessageException("payload is not a JSON object");
		}
		return new MessageEnvelope(id, type, version, source, time, correlationId, traceparent, tracestate, payload);
	}

	/** A JSON object written by protobuf's JSON mapping, as the envelope's payload. */
	static JsonNode readTree(String json) {
		return JSON.readTree(json);
	}

	static JsonNode toJsonTree(Object payload) {
		JsonNode tree = JSON.valueToTree(payload);
		if (tree == null || !tree.isObject()) {
			throw new IllegalArgumentException(
					"payload must serialise to a JSON object, " + payload.getClass().getName() + " does not");
		}
		return tree;
	}

	static <T> @Nullable T fromJsonTree(JsonNode payload, Class<T> type) {
		return JSON.treeToValue(payload, type);
	}

	private static String text(JsonNode json, String field) {
		JsonNode value = json.get(field);
		if (value == null || value.isNull()) {
			throw new MalformedMessageException(field + " is missing");
		}
		if (!value.isString()) {
			throw new MalformedMessageException(field + " is not a string");
		}
		if (value.stringValue().isBlank()) {
			throw new MalformedMessageException(field + " is blank");
		}
		return value.stringValue();
	}

	private static @Nullable String optionalText(JsonNode json, String field) {
		JsonNode value = json.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw new MalformedMessageException(field + " is not a string");
		}
		return value.stringValue();
	}

	private static UUID uuid(JsonNode json, String field) {
		String value = text(json, field);
		try {
			UUID uuid = UUID.fromString(value);
			// UUID.fromString accepts shortened forms such as "1-1-1-1-1"; only the canonical one is an id.
			if (uuid.toString().equalsIgnoreCase(value)) {
				return uuid;
			}
		}
		catch (IllegalArgumentException notAUuid) {
			// reported below
		}
		throw new MalformedMessageException(field + " is not a UUID: '" + abbreviate(value) + "'");
	}

	private static int version(JsonNode json) {
		JsonNode value = json.get("version");
		if (value == null || value.isNull()) {
			throw new MalformedMessageException("version is missing");
		}
		if (!value.isInt() || value.intValue() < 1) {
			throw new MalformedMessageException("version is not a whole number of 1 or more: " + abbreviate(value.toString()));
		}
		return value.intValue();
	}

	private static Instant instant(JsonNode json, String field) {
		String value = text(json, field);
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new MalformedMessageException(field + " is not an ISO-8601 UTC instant: '" + abbreviate(value) + "'");
		}
	}

	private static String abbreviate(String value) {
		return value.length() <= 60 ? value : value.substring(0, 57) + "...";
	}

}
