package com.example.shop.inventory.stock;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Strict UUID parsing: {@link UUID#fromString} also accepts short forms such as "1-2-3-4-5". */
public final class ProductIds {

	private static final Pattern CANONICAL = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private ProductIds() {
	}

	public static Optional<UUID> parse(String id) {
		if (id == null || !CANONICAL.matcher(id).matches()) {
			return Optional.empty();
		}
		return Optional.of(UUID.fromString(id));
	}

}
