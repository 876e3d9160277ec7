package com.example.shop.gateway.protection;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.example.shop.gateway.problem.GatewayProblemException;
import com.example.shop.gateway.problem.GatewayProblems;

/**
 * Refuses with 400 a path or query that does not decode to clean text: a percent-encoding that is not
 * {@code %} and two hex digits, bytes that are not valid UTF-8 once decoded ({@code %FF%FE}, the overlong
 * {@code %C0%80} and {@code %c0%ae}, the surrogate {@code %ED%A0%80}), or a control character (C0, NUL
 * included, or DEL) in the decoded text. No request of the API needs them; they only serve to confuse a
 * downstream's parser, its logs or its database ({@code ?q=%00} made product-service fail with 500).
 * Uses the services' problem types ({@code invalid-encoding}, {@code invalid-character}).
 * <p>
 * A malformed percent-encoding usually does not get this far: Spring cannot build the request's URI
 * from it and answers 400 below the filters ({@link com.example.shop.gateway.problem.ProtocolErrorProblemBody}).
 */
@Component
public class RequestTargetFilter implements WebFilter, Ordered {

	static final URI INVALID_ENCODING = GatewayProblems.type("invalid-encoding");

	static final URI INVALID_CHARACTER = GatewayProblems.type("invalid-character");

	@Override
	public int getOrder() {
		// Before UnsafePathFilter, so an encoding error is reported as one.
		return Ordered.HIGHEST_PRECEDENCE + 9;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		URI uri = exchange.getRequest().getURI();
		GatewayProblemException refused = check("path", uri.getRawPath());
		if (refused == null) {
			refused = check("query", uri.getRawQuery());
		}
		return (refused != null) ? Mono.error(refused) : chain.filter(exchange);
	}

	/** The refusal of a path or query, or null when it is clean. */
	static @Nullable GatewayProblemException check(String part, @Nullable String raw) {
		if (raw == null || raw.isEmpty()) {
			return null;
		}
		byte[] bytes = percentDecode(raw);
		if (bytes == null) {
			return refusal(INVALID_ENCODING, "The request " + part + " contains a malformed percent-encoding");
		}
		String decoded = utf8(bytes);
		if (decoded == null) {
			return refusal(INVALID_ENCODING, "The request " + part + " does not decode to valid UTF-8");
		}
		if (decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
			return refusal(INVALID_CHARACTER, "The request " + part + " contains a control character");
		}
		return null;
	}

	/** The bytes a raw path or query stands for, or null for a '%' not followed by two hex digits. */
	private static byte @Nullable [] percentDecode(String raw) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
		int i = 0;
		while (i < raw.length()) {
			if (raw.charAt(i) == '%') {
				int high = (i + 2 < raw.length()) ? Character.digit(raw.charAt(i + 1), 16) : -1;
				int low = (i + 2 < raw.length()) ? Character.digit(raw.charAt(i + 2), 16) : -1;
				if (high < 0 || low < 0) {
					return null;
				}
				bytes.write((high << 4) | low);
				i += 3;
			}
			else {
				// A character the URI holds unencoded (letters, or non-ASCII it let through), as UTF-8.
				int codePoint = raw.codePointAt(i);
				bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
				i += Character.charCount(codePoint);
			}
		}
		return bytes.toByteArray();
	}

	/** Strict UTF-8: overlong forms, surrogates and stray bytes are errors, not replacement characters. */
	private static @Nullable String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static GatewayProblemException refusal(URI type, String detail) {
		return new GatewayProblemException(HttpStatus.BAD_REQUEST, "Bad request", detail, type, HttpHeaders.EMPTY);
	}

}
