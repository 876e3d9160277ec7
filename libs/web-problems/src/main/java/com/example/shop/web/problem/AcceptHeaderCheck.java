package com.example.shop.web.problem;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * An Accept header Spring MVC cannot parse makes every answer, error answers included, go out with no body at
 * all: content negotiation fails before any converter is chosen, so even the problem cannot be written. Refused
 * here, where the problem can still be written: 400, and the client learns which header to fix.
 */
final class AcceptHeaderCheck {

	private AcceptHeaderCheck() {
	}

	/** @return the problem to answer with, or {@code null} when there is no Accept header or it parses */
	static ProblemDetail check(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.ACCEPT);
		if (header == null) {
			return null;
		}
		try {
			MediaType.parseMediaTypes(header);
			return null;
		}
		catch (InvalidMediaTypeException ex) {
			return ProblemResponses.problem(HttpStatus.BAD_REQUEST, ProblemTypes.BAD_REQUEST,
					HttpStatus.BAD_REQUEST.getReasonPhrase(),
					"The Accept header is not a valid list of media types; send e.g. application/json",
					request.getRequestURI());
		}
	}

}
