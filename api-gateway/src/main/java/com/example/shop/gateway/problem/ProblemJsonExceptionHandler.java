package com.example.shop.gateway.problem;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers every error the gateway raises itself (no route, refused path, body too large, no instance
 * for a WebSocket route, a bug) as {@code application/problem+json}, never Spring Boot's whitelabel
 * page or error JSON, and never with a stack trace. Ordered before Boot's own error handler.
 * <p>
 * Failures of a downstream call on an HTTP route do not come here: the circuit breaker hands them to
 * {@link com.example.shop.gateway.fallback.DownstreamFallbackController}.
 */
@Component
@Order(-2)
public class ProblemJsonExceptionHandler implements WebExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemJsonExceptionHandler.class);

	private final List<HttpMessageWriter<?>> writers;

	public ProblemJsonExceptionHandler(ServerCodecConfigurer codecs) {
		this.writers = codecs.getWriters();
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(error);
		}
		ProblemDetail problem = toProblem(error, exchange);
		// Drop what a failed downstream response may have left (its length or type), keep the rest
		// (CORS and request id headers), so the browser can still read this answer.
		HttpHeaders headers = response.getHeaders();
		headers.remove(HttpHeaders.CONTENT_LENGTH);
		headers.remove(HttpHeaders.CONTENT_TYPE);
		headers.remove(HttpHeaders.TRANSFER_ENCODING);
		if (error instanceof ResponseStatusException statusError) {
			// For example Allow on a 405.
			headers.addAll(statusError.getHeaders());
		}
		return ServerResponse.status(problem.getStatus())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyValue(problem)
			.flatMap(answer -> answer.writeTo(exchange, new Context()));
	}

	private static ProblemDetail toProblem(Throwable error, ServerWebExchange exchange) {
		String request = exchange.getRequest().getMethod() + " " + GatewayProblems.originalPath(exchange);
		if (error instanceof GatewayProblemException refused) {
			log.debug("Refused {}: {}", request, refused.getDetail());
			HttpStatus status = HttpStatus.valueOf(refused.getStatusCode().value());
			URI type = (refused.getType() != null) ? refused.getType() : GatewayProblems.typeFor(status);
			return GatewayProblems.create(status, type, refused.getTitle(), refused.getDetail(), exchange);
		}
		HttpStatus status = (error instanceof ResponseStatusException statusError)
				? HttpStatus.resolve(statusError.getStatusCode().value()) : null;
		if (status != null && (status.is4xxClientError() || isProxyStatus(status))) {
			String reason = ((ResponseStatusException) error).getReason();
			log.debug("{} answered {}: {}", request, status.value(), reason);
			String detail = (status == HttpStatus.NOT_FOUND) ? "No route for " + request
					: (reason != null) ? reason : status.getReasonPhrase();
			return GatewayProblems.create(status, titleFor(status), detail, exchange);
		}
		log.error("{} failed in the gateway", request, error);
		return GatewayProblems.create(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"The gateway could not complete the request. The error has been logged.", exchange);
	}

	/** The statuses a proxy answers for a downstream it could not use (no instance, unreachable, slow). */
	private static boolean isProxyStatus(HttpStatus status) {
		return status == HttpStatus.BAD_GATEWAY || status == HttpStatus.SERVICE_UNAVAILABLE
				|| status == HttpStatus.GATEWAY_TIMEOUT;
	}

	/** The reason phrase in sentence case ("Not found"), like the titles the gateway writes itself. */
	static String titleFor(HttpStatus status) {
		if (status == HttpStatus.CONTENT_TOO_LARGE) {
			return "Payload too large";
		}
		String phrase = status.getReasonPhrase();
		return phrase.charAt(0) + phrase.substring(1).toLowerCase(Locale.ROOT);
	}

	/** What {@link ServerResponse#writeTo} needs: the application's codecs, no views. */
	private final class Context implements ServerResponse.Context {

		@Override
		public List<HttpMessageWriter<?>> messageWriters() {
			return writers;
		}

		@Override
		public List<ViewResolver> viewResolvers() {
			return List.of();
		}

	}

}
