package com.example.shop.web.problem;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * A body must say what it is. Spring MVC's content negotiation throws (a 500) on a wildcard Content-Type such
 * as {@code *}{@code /*} or {@code application/*}, which is a pattern for {@code Accept}, never a description
 * of a body, and on one it cannot parse (including an unknown charset). Both are the client's mistake: 415.
 */
final class BodyContentTypeCheck {

	private BodyContentTypeCheck() {
	}

	/** @return the problem to answer with, or {@code null} when the request has no body or a usable type */
	static ProblemDetail check(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
		if (header == null || !hasBody(request)) {
			// No type at all is Spring MVC's to answer (it assumes application/octet-stream and says 415).
			return null;
		}
		MediaType type;
		try {
			type = MediaType.parseMediaType(header);
			type.getCharset(); // throws on a charset this JVM does not know
		}
		catch (IllegalArgumentException ex) { // InvalidMediaTypeException, or the charset's exceptions
			return unsupported(request, "The Content-Type header is not a valid media type");
		}
		if (type.isWildcardType() || type.isWildcardSubtype()) {
			return unsupported(request,
					"The Content-Type of a request body must be a concrete media type such as application/json, not a wildcard");
		}
		return null;
	}

	private static boolean hasBody(HttpServletRequest request) {
		return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
	}

	private static ProblemDetail unsupported(HttpServletRequest request, String detail) {
		return ProblemResponses.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
				HttpStatus.UNSUPPORTED_MEDIA_TYPE.getReasonPhrase(), detail, request.getRequestURI());
	}

}
