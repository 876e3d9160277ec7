package com.example.shop.gateway.protection;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;

import com.example.shop.gateway.problem.GatewayProblemException;

/**
 * Spring's CORS checks, with a refusal (a disallowed origin, method or header, on a preflight or an
 * actual request) answered 403 problem+json instead of an empty 403: a developer looking at the browser's
 * network tab sees why. {@link #rejectRequest} cannot write a body itself (it is synchronous); it raises
 * the refusal, the handler mapping turns it into an error signal, and
 * {@link com.example.shop.gateway.problem.ProblemJsonExceptionHandler} writes the answer, keeping the
 * {@code Vary} headers already set.
 */
public class ProblemCorsProcessor extends DefaultCorsProcessor {

	@Override
	protected void rejectRequest(ServerHttpResponse response) {
		throw new GatewayProblemException(HttpStatus.FORBIDDEN, "Forbidden",
				"Cross-origin request refused: this origin, or the method or headers it asked for, may not call "
						+ "the API from a browser (CORS)");
	}

}
