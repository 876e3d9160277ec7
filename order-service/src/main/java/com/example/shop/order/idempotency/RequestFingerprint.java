package com.example.shop.order.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (hex) of a request's canonical form: what "the same body" means for an Idempotency-Key. The
 * canonical form is made from the parsed request (see {@code PlaceOrder#canonical}), so whitespace, property
 * order or the case of a UUID do not make two equal requests different.
 */
public final class RequestFingerprint {

	private RequestFingerprint() {
	}

	public static String of(String canonicalRequest) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(sha256.digest(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

}
