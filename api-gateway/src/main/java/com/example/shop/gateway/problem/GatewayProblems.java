package com.example.shop.gateway.problem;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.gateway.correlation.RequestIdFilter;

/**
 * Builds the RFC 9457 problems the gateway answers with itself, in the same shape as the services'
 * ({@code type, title, status, detail, instance}). The {@code type} URIs share the base and names of the
 * services' problem types (libs/web-problems, which is Servlet-based and so not usable here); the
 * gateway adds {@code bad-gateway} and {@code gateway-timeout}, which only a proxy answers.
 * <p>
 * Answers written below Spring, for requests Reactor Netty could not even parse, are built by
 * {@link ProtocolErrorProblemBody} in the same shape, without {@code instance} and {@code requestId}.
 */
public final class GatewayProblems {

	static final String TYPE_BASE = "https://shop.example.com/problems/";

	private GatewayProblems() {
	}

	public static ProblemDetail create(HttpStatus status, String title, String detail, ServerWebExchange exchange) {
		return create(status, typeFor(status), title, detail, exchange);
	}

	public static ProblemDetail create(HttpStatus status, URI type, String title, String detail,
			ServerWebExchange exchange) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		problem.setInstance(URI.create(originalPath(exchange)));
		String requestId = RequestIdFilter.of(exchange);
		if (requestId != null) {
			// Lets a user quote one value that finds the request in every service's log.
			problem.setProperty("requestId", requestId);
		}
		return problem;
	}

	/** A problem type of the platform, {@code https://shop.example.com/problems/<slug>}. */
	public static URI type(String slug) {
		return URI.create(TYPE_BASE + slug);
	}

	public static URI typeFor(HttpStatus status) {
		String name = switch (status) {
			case CONTENT_TOO_LARGE -> "payload-too-large";
			case INTERNAL_SERVER_ERROR -> "internal";
			default -> status.name().toLowerCase().replace('_', '-');
		};
		return URI.create(TYPE_BASE + name);
	}

	/** The path the client asked for, also after an internal forward to a fallback. */
	static String originalPath(ServerWebExchange exchange) {
		String original = exchange.getAttribute(OriginalPathFilter.ORIGINAL_PATH_ATTRIBUTE);
		return (original != null) ? original : exchange.getRequest().getURI().getRawPath();
	}

}
