package com.example.shop.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.example.shop.web.problem.ProblemResponses;
import com.example.shop.web.problem.ProblemTypes;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 in the shape of every other error: problem+json, plus the {@code WWW-Authenticate} header RFC 6750
 * asks for (written by Spring Security's own bearer-token handlers, which set the status and header but no body).
 * The detail says what was wrong with the token, never what the token was.
 */
final class ProblemAuthenticationFailures implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();

	private final BearerTokenAccessDeniedHandler denial = new BearerTokenAccessDeniedHandler();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		this.challenge.commence(request, response, failure);
		String detail = (failure instanceof OAuth2AuthenticationException invalid)
				? "The bearer token is not accepted: " + reason(invalid)
				: "This operation needs a bearer token from the shop realm (Authorization: Bearer ...)";
		ProblemResponses.write(response, ProblemResponses.problem(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED,
				"Unauthorized", detail, request.getRequestURI()));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		this.denial.handle(request, response, denied);
		ProblemResponses.write(response, ProblemResponses.problem(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN,
				"Forbidden", "The token is valid but lacks the role or scope this operation needs",
				request.getRequestURI()));
	}

	/**
	 * Spring Security's description of why the token failed (expired, bad signature, wrong issuer or audience).
	 * Those descriptions name claims and checks, not the token's content.
	 */
	private static String reason(OAuth2AuthenticationException invalid) {
		String description = invalid.getError().getDescription();
		return (description == null || description.isBlank()) ? invalid.getError().getErrorCode() : description;
	}

}
