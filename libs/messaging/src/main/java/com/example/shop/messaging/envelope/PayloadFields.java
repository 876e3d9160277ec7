package com.example.shop.messaging.envelope;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import com.google.protobuf.Timestamp;
import org.jspecify.annotations.Nullable;

/**
 * The conversions between the payload fields of proto/ (ids and decimals as strings, instants as
 * {@link Timestamp}) and the Java types the services work with. Reading is strict: a value that does not convert
 * is a {@link MalformedMessageException} naming the field, so the message is dead-lettered with a readable reason.
 */
public final class PayloadFields {

	private PayloadFields() {
	}

	/** A canonical UUID; {@code field} names it in the refusal. */
	public static UUID uuid(String value, String field) {
		try {
			UUID uuid = UUID.fromString(value);
			// UUID.fromString accepts shortened forms such as "1-1-1-1-1"; only the canonical one is an id.
			if (uuid.toString().equalsIgnoreCase(value)) {
				return uuid;
			}
		}
		catch (IllegalArgumentException notAUuid) {
			// refused below
		}
		throw new MalformedMessageException(field + " is not a UUID: '" + abbreviate(value) + "'");
	}

	/** A UUID, or null for an empty field (proto3's "not set" of a string). */
	public static @Nullable UUID optionalUuid(String value, String field) {
		return value.isEmpty() ? null : uuid(value, field);
	}

	/** A decimal number such as {@code 12.34}. */
	public static BigDecimal decimal(String value, String field) {
		try {
			return new BigDecimal(value);
		}
		catch (NumberFormatException ex) {
			throw new MalformedMessageException(field + " is not a decimal number: '" + abbreviate(value) + "'");
		}
	}

	/** The plain decimal text of an amount: {@code 12.30}, never {@code 1.23E+1}. */
	public static String decimal(BigDecimal value) {
		return value.toPlainString();
	}

	public static Instant instant(Timestamp timestamp) {
		return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
	}

	public static Timestamp timestamp(Instant instant) {
		return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
	}

	private static String abbreviate(String value) {
		return value.length() <= 60 ? value : value.substring(0, 57) + "...";
	}

}
