package com.example.shop.web.problem;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The {@code type} URIs of every problem the services answer with. Clients may branch on them, so they
 * are part of the public contract: never rename one, only add.
 */
public final class ProblemTypes {

	public static final String BASE = "https://shop.example.com/problems/";

	/** Bean validation failed, a parameter had the wrong type or was missing: see {@code errors}. */
	public static final URI VALIDATION = URI.create(BASE + "validation");

	/** The body could not be read at all (not JSON, truncated, empty). */
	public static final URI MALFORMED_REQUEST = URI.create(BASE + "malformed-request");

	/**
	 * The path or query carries a percent-encoding that is not {@code %} and two hex digits, or that does not
	 * decode to valid UTF-8 (overlong forms, surrogates, bytes such as {@code %FF}).
	 */
	public static final URI INVALID_ENCODING = URI.create(BASE + "invalid-encoding");

	/** The decoded path or query contains a control character (C0 or DEL, NUL included). */
	public static final URI INVALID_CHARACTER = URI.create(BASE + "invalid-character");

	/** Any other 400 the framework raises (e.g. a missing header). */
	public static final URI BAD_REQUEST = URI.create(BASE + "bad-request");

	/** No bearer token, or one that is not accepted (expired, wrongly signed, another issuer or audience). */
	public static final URI UNAUTHORIZED = URI.create(BASE + "unauthorized");

	/** A valid token without the role or scope the operation needs. */
	public static final URI FORBIDDEN = URI.create(BASE + "forbidden");

	public static final URI NOT_FOUND = URI.create(BASE + "not-found");

	public static final URI METHOD_NOT_ALLOWED = URI.create(BASE + "method-not-allowed");

	public static final URI NOT_ACCEPTABLE = URI.create(BASE + "not-acceptable");

	public static final URI CONFLICT = URI.create(BASE + "conflict");

	public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");

	public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create(BASE + "unsupported-media-type");

	public static final URI UNPROCESSABLE = URI.create(BASE + "unprocessable");

	/** A dependency of the service (its database, broker, a downstream) failed: retry later. */
	public static final URI SERVICE_UNAVAILABLE = URI.create(BASE + "service-unavailable");

	public static final URI INTERNAL = URI.create(BASE + "internal");

	private ProblemTypes() {
	}

	/** The type for a status when nothing more specific is known. */
	public static URI forStatus(HttpStatusCode status) {
		HttpStatus known = HttpStatus.resolve(status.value());
		if (known == null) {
			return status.is5xxServerError() ? INTERNAL : BAD_REQUEST;
		}
		return switch (known) {
			case BAD_REQUEST -> BAD_REQUEST;
			case UNAUTHORIZED -> UNAUTHORIZED;
			case FORBIDDEN -> FORBIDDEN;
			case NOT_FOUND -> NOT_FOUND;
			case METHOD_NOT_ALLOWED -> METHOD_NOT_ALLOWED;
			case NOT_ACCEPTABLE -> NOT_ACCEPTABLE;
			case CONFLICT -> CONFLICT;
			case CONTENT_TOO_LARGE -> PAYLOAD_TOO_LARGE;
			case UNSUPPORTED_MEDIA_TYPE -> UNSUPPORTED_MEDIA_TYPE;
			case UNPROCESSABLE_CONTENT -> UNPROCESSABLE;
			case SERVICE_UNAVAILABLE -> SERVICE_UNAVAILABLE;
			default -> known.is5xxServerError() ? INTERNAL : URI.create(BASE + slug(known));
		};
	}

	private static String slug(HttpStatus status) {
		return status.name().toLowerCase().replace('_', '-');
	}

}
