package com.example.shop.web.problem;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids in the public API are canonical UUID strings (36 characters, hex and dashes). {@link UUID#fromString}
 * alone also accepts short forms such as "1-2-3-4-5", which would let two spellings name one resource.
 */
public final class CanonicalUuid {

	private static final Pattern CANONICAL = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	/** How much of a rejected value a problem's detail repeats. */
	private static final int MAX_ECHOED_VALUE = 64;

	private CanonicalUuid() {
	}

	/** The UUID when {@code value} is one in canonical form; empty otherwise (also for null). */
	public static Optional<UUID> parse(String value) {
		return Optional.ofNullable(value).filter((text) -> CANONICAL.matcher(text).matches()).map(UUID::fromString);
	}

	/**
	 * A request parameter that must be a canonical UUID.
	 * @throws InvalidRequestException (400, {@code errors: [{field: name, message: "must be a UUID"}]}) otherwise
	 */
	public static UUID parameter(String name, String value) {
		return parse(value).orElseThrow(() -> new InvalidRequestException(
				"Parameter '" + name + "' must be a UUID but was '" + echo(value) + "'",
				List.of(new InvalidField(name, "must be a UUID"))));
	}

	private static String echo(String value) {
		return (value.length() > MAX_ECHOED_VALUE) ? value.substring(0, MAX_ECHOED_VALUE) + "..." : value;
	}

}
