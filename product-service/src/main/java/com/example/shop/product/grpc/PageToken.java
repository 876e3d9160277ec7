package com.example.shop.product.grpc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import com.example.shop.product.catalog.ProductIds;

/**
 * The opaque page token of ListProducts: base64url of {@code v1:<last id of the page>}. Clients must not
 * build or parse it; the "v1:" prefix lets the format change later while old tokens are still recognised.
 */
final class PageToken {

	private static final String PREFIX = "v1:";

	private PageToken() {
	}

	static String after(UUID lastId) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
	}

	/** The id the next page starts after; empty when the token was not issued by this service. */
	static Optional<UUID> parse(String token) {
		String decoded;
		try {
			decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		if (!decoded.startsWith(PREFIX)) {
			return Optional.empty();
		}
		return ProductIds.parse(decoded.substring(PREFIX.length()));
	}

}
