package com.example.shop.gateway.security;

import java.util.Locale;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.oauth2.server.resource.web.access.server.BearerTokenServerAccessDeniedHandler;
import org.springframework.security.oauth2.server.resource.web.server.BearerTokenServerAuthenticationEntryPoint;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.gateway.problem.GatewayProblemException;

/**
 * 401 and 403 in the gateway's problem+json shape (with {@code instance} and {@code requestId}, written by
 * {@link com.example.shop.gateway.problem.ProblemJsonExceptionHandler} like every other refusal of the gateway),
 * plus the {@code WWW-Authenticate} header of RFC 6750, which Spring Security's bearer-token handlers write: plain
 * {@code Bearer} without a token, {@code Bearer error="invalid_token", error_description="..."} for a token that is
 * not accepted, {@code Bearer error="insufficient_scope", ...} with 403 for a valid token without the role.
 * Spring's handlers would also complete the response, empty; here they only set the status and header, and the
 * body follows.
 * <p>
 * The detail (and the header's {@code error_description}) says what was wrong with the token in words of this
 * class, never the token and never the parser's message, which may quote what it failed to parse.
 * <p>
 * When the realm's keys cannot be fetched (Keycloak down or slow, and no key cached for the token), the token was
 * not judged at all: that is 503, not 401, so the client retries instead of throwing its token away.
 */
final class TokenRefusals
		implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler, ServerAuthenticationFailureHandler {

	private static final Logger log = LoggerFactory.getLogger(TokenRefusals.class);

	private final BearerTokenServerAuthenticationEntryPoint challenge = new BearerTokenServerAuthenticationEntryPoint();

	private final BearerTokenServerAccessDeniedHandler denial = new BearerTokenServerAccessDeniedHandler();

	@Override
	public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
		if (!(failure instanceof OAuth2AuthenticationException refused)) {
			// No token at all (or none in a form the gateway reads).
			String detail = exchange.getRequest().getPath().value().startsWith("/ws/")
					? "This operation needs a bearer token from the shop realm: the Authorization header, or in a "
							+ "browser the WebSocket subprotocols 'bearer' and the token (Sec-WebSocket-Protocol)"
					: "This operation needs a bearer token from the shop realm (Authorization: Bearer ...)";
			return this.challenge.commence(headersOnly(exchange), failure)
				.then(Mono.error(() -> problem(HttpStatus.UNAUTHORIZED, detail)));
		}
		OAuth2Error error = refused.getError();
		HttpStatus status = (error instanceof BearerTokenError bearer) ? bearer.getHttpStatus() : HttpStatus.UNAUTHORIZED;
		String reason = reason(failure);
		BearerTokenError told = new BearerTokenError(error.getErrorCode(), status, reason, error.getUri(),
				(error instanceof BearerTokenError bearer) ? bearer.getScope() : null);
		return this.challenge.commence(headersOnly(exchange), new OAuth2AuthenticationException(told))
			.then(Mono.error(() -> problem(status, "The bearer token is not accepted: " + reason)));
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
		return this.denial.handle(headersOnly(exchange), denied)
			.then(Mono.error(() -> problem(HttpStatus.FORBIDDEN,
					"The token is valid but lacks the role this operation needs (" + GatewaySecurity.ADMIN + ")")));
	}

	@Override
	public Mono<Void> onAuthenticationFailure(WebFilterExchange filterExchange, AuthenticationException failure) {
		if (failure instanceof AuthenticationServiceException) {
			// The decoder could not get the realm's keys; its message names the key set's address and the
			// failure, not the token.
			log.warn("Could not check a bearer token: the shop realm's keys could not be fetched ({})",
					rootCause(failure));
			return Mono.error(new GatewayProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
					"The gateway cannot check bearer tokens right now: the shop realm's keys could not be fetched. "
							+ "Try again shortly."));
		}
		return commence(filterExchange.getExchange(), failure);
	}

	private static GatewayProblemException problem(HttpStatus status, String detail) {
		String title = switch (status) {
			case UNAUTHORIZED -> "Unauthorized";
			case FORBIDDEN -> "Forbidden";
			default -> "Bad request";
		};
		return new GatewayProblemException(status, title, detail, null, HttpHeaders.EMPTY);
	}

	/**
	 * Why a token was not accepted, in words that name claims and checks only. Spring Security's descriptions
	 * are sorted into these; a parser's message (which can quote the token) is never passed on.
	 */
	static String reason(AuthenticationException failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof JwtValidationException invalid && !invalid.getErrors().isEmpty()) {
				return invalid.getErrors()
					.stream()
					.map(TokenRefusals::claimReason)
					.distinct()
					.collect(Collectors.joining("; "));
			}
			messages.append(cause.getMessage()).append('\n');
		}
		// Spring's and Nimbus' messages along the cause chain, only to sort the failure; never passed on.
		String said = messages.toString().toLowerCase(Locale.ROOT);
		if (said.contains("unsupported algorithm")) {
			return "it is not signed with RS256, the realm's algorithm (unsigned tokens and HMAC signatures are "
					+ "refused)";
		}
		if (said.contains("no matching key")) {
			return "it is not signed with a key of the shop realm";
		}
		if (said.contains("invalid signature")) {
			return "its signature does not verify against the shop realm's keys";
		}
		if (said.contains("multiple bearer tokens")) {
			return "the request carries more than one bearer token";
		}
		if (said.contains("bearer token is malformed")) {
			return "the Authorization header does not hold a bearer token in the form RFC 6750 allows";
		}
		return "it is not a well-formed signed JWT";
	}

	private static String claimReason(OAuth2Error error) {
		String description = (error.getDescription() != null) ? error.getDescription().toLowerCase(Locale.ROOT) : "";
		if (description.startsWith("jwt expired")) {
			return "it has expired";
		}
		if (description.startsWith("jwt used before")) {
			return "it is not valid yet (nbf)";
		}
		if (description.contains("iss claim")) {
			return "it was not issued by the shop realm (iss)";
		}
		if (description.contains("aud claim")) {
			return "it is not meant for this API (aud)";
		}
		if (description.contains("exp claim")) {
			return "it has no expiry (exp)";
		}
		return "its claims are not valid";
	}

	private static String rootCause(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

	/**
	 * The exchange with a response that cannot be completed: Spring's handlers set the status and
	 * {@code WWW-Authenticate} on it and then complete it, which here does nothing, so the problem body can
	 * still be written.
	 */
	private static ServerWebExchange headersOnly(ServerWebExchange exchange) {
		ServerHttpResponse response = new ServerHttpResponseDecorator(exchange.getResponse()) {
			@Override
			public Mono<Void> setComplete() {
				return Mono.empty();
			}
		};
		return exchange.mutate().response(response).build();
	}

}
