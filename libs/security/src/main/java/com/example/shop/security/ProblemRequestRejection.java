package com.example.shop.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.example.shop.web.problem.ProblemResponses;
import com.example.shop.web.problem.ProblemTypes;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Spring Security's firewall refuses paths that could mean two things to two parsers ({@code ;}, {@code %2e},
 * {@code //}, an encoded {@code %}); its refusal becomes a 400 problem like every other. The detail is fixed text:
 * the firewall's own message may quote a header, and a header may be the token.
 */
final class ProblemRequestRejection implements RequestRejectedHandler {

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
			throws IOException {
		ProblemResponses.write(response, ProblemResponses.problem(HttpStatus.BAD_REQUEST, ProblemTypes.BAD_REQUEST,
				"Bad Request", "The request target or a header is ambiguous and was refused before it reached the service",
				request.getRequestURI()));
	}

}
