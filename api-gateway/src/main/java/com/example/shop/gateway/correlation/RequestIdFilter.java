package com.example.shop.gateway.correlation;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Gives every request an {@code X-Request-Id}: the client's own if it sent a usable one, otherwise a new
 * UUID. The id is passed to the downstream service and returned on the response, including the
 * gateway's own error answers (their {@code requestId}), so one value finds the request in every log it went
 * through: the gateway and every service log it on each line of the request, after the trace and span ids
 * ({@code [application,traceId,spanId,requestId]}, or the field {@code X-Request-Id} of the JSON logs;
 * docs/observability.md).
 * <p>
 * How it gets into the logs and on to the services: it is a field of the trace's baggage
 * ({@code management.tracing.baggage.remote-fields}, libs/service-defaults), which Micrometer Tracing reads from
 * this header when the request's observation starts, puts in the MDC, and sends on as the same header with every
 * call made for the request. That is why the id is settled here, around the whole web handler, before the
 * observation reads the request: the baggage, and so the logs and the downstream calls, carry the id the gateway
 * answers with, never an unusable one a client sent. W3C trace context is not touched: Micrometer Tracing continues
 * the client's {@code traceparent} (the downstream gets the same trace id, with the gateway's client span as parent)
 * and passes {@code baggage} on.
 */
@Component
public class RequestIdFilter implements HttpHandlerDecoratorFactory {

	public static final String HEADER = "X-Request-Id";

	/** Longer ids are replaced: a header value is not a place to store data. */
	private static final int MAX_LENGTH = 128;

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			String sent = request.getHeaders().getFirst(HEADER);
			String requestId = isUsable(sent) ? sent : UUID.randomUUID().toString();
			response.beforeCommit(() -> {
				// set, not add: a downstream that echoes the id must not make it appear twice.
				response.getHeaders().set(HEADER, requestId);
				return Mono.empty();
			});
			ServerHttpRequest withId = request.mutate().headers(headers -> headers.set(HEADER, requestId)).build();
			return handler.handle(withId, response);
		};
	}

	/** The request's id: every request that reaches the web handler carries one. */
	public static String of(ServerWebExchange exchange) {
		return exchange.getRequest().getHeaders().getFirst(HEADER);
	}

	/** One to {@value #MAX_LENGTH} visible ASCII characters: no spaces or control characters to forge logs with. */
	static boolean isUsable(String requestId) {
		if (requestId == null || requestId.isEmpty() || requestId.length() > MAX_LENGTH) {
			return false;
		}
		return requestId.chars().allMatch(c -> c > 0x20 && c < 0x7f);
	}

}
