package com.example.shop.web.problem;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Checks the request target as the client sent it ({@link HttpServletRequest#getRequestURI()} and
 * {@link HttpServletRequest#getQueryString()} are both still encoded) before anything decodes it: Tomcat's
 * parameter parsing throws on bad UTF-8, and a NUL that decodes cleanly fails only in PostgreSQL, both as a
 * 500. Checking here, once, means neither ever reaches a controller.
 * <p>
 * Tab, line feed and carriage return are refused like every other control character: no URL needs them
 * (RFC 3986 has no place for them, browsers strip them), and a decoded line break in a value is how log
 * lines get forged and headers injected once the value is logged, copied into a {@code Location} or passed
 * on to another service.
 */
final class RequestTargetCheck {

	/** Parameter names safe to quote back in a detail; anything else is described, not echoed. */
	private static final Pattern QUOTABLE_NAME = Pattern.compile("[A-Za-z0-9_.\\-\\[\\]]{1,64}");

	private static final String BAD_ENCODING = " contains a percent-encoding that is malformed or not UTF-8";

	private static final String CONTROL_CHARACTER = " contains a control character";

	private RequestTargetCheck() {
	}

	/** @return the problem to answer with, or {@code null} when the target is fine */
	static ProblemDetail check(HttpServletRequest request) {
		String uri = request.getRequestURI();
		String path = StrictPercentDecoder.decode((uri != null) ? uri : "", false);
		if (path == null) {
			return invalidEncoding(request, "The path" + BAD_ENCODING);
		}
		if (ControlCharacters.containsAny(path)) {
			return invalidCharacter(request, "The path" + CONTROL_CHARACTER);
		}
		String query = request.getQueryString();
		return (query != null) ? checkQuery(request, query) : null;
	}

	private static ProblemDetail checkQuery(HttpServletRequest request, String query) {
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = StrictPercentDecoder.decode((equals < 0) ? pair : pair.substring(0, equals), true);
			if (name == null) {
				return invalidEncoding(request, "A query parameter name" + BAD_ENCODING);
			}
			if (ControlCharacters.containsAny(name)) {
				return invalidCharacter(request, "A query parameter name" + CONTROL_CHARACTER);
			}
			if (equals < 0) {
				continue;
			}
			String value = StrictPercentDecoder.decode(pair.substring(equals + 1), true);
			if (value == null) {
				return invalidEncoding(request, parameter(name) + BAD_ENCODING);
			}
			if (ControlCharacters.containsAny(value)) {
				return invalidCharacter(request, parameter(name) + CONTROL_CHARACTER);
			}
		}
		return null;
	}

	private static String parameter(String name) {
		return QUOTABLE_NAME.matcher(name).matches() ? "The query parameter '" + name + "'" : "A query parameter";
	}

	private static ProblemDetail invalidEncoding(HttpServletRequest request, String detail) {
		return ProblemResponses.problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_ENCODING,
				"Invalid percent-encoding", detail, request.getRequestURI());
	}

	private static ProblemDetail invalidCharacter(HttpServletRequest request, String detail) {
		return ProblemResponses.problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_CHARACTER, "Invalid character",
				detail, request.getRequestURI());
	}

}
