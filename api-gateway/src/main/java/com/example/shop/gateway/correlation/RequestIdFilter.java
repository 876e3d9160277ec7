package com.example.shop.gateway.correlation;

import java.util.UUID;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Gives every request an {@code X-Request-Id}: the client's own if it sent a usable one, otherwise a new
 * UUID. The id is passed to the downstream service and returned on the response, including the
 * gateway's own error answers, so one value finds the request in every log it went through.
 * <p>
 * W3C trace context is not touched here: Micrometer Tracing continues the client's {@code traceparent} (the
 * downstream gets the same trace id, with the gateway's client span as parent) and passes {@code baggage} on.
 * <p>
 * A {@link WebFilter} rather than a gateway filter so that it also covers requests no route matches.
 */
@Component
public class RequestIdFilter implements WebFilter, Ordered {

	public static final String HEADER = "X-Request-Id";

	/** Exchange attribute holding the request id, for problem answers and logs. */
	public static final String REQUEST_ID_ATTRIBUTE = RequestIdFilter.class.getName() + ".requestId";

	/** Longer ids are replaced: a header value is not a place to store data. */
	private static final int MAX_LENGTH = 128;

	@Override
	public int getOrder() {
		// First of all filters, so that even a refused request carries its id.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String sent = exchange.getRequest().getHeaders().getFirst(HEADER);
		String requestId = isUsable(sent) ? sent : UUID.randomUUID().toString();
		exchange.getAttributes().put(REQUEST_ID_ATTRIBUTE, requestId);
		exchange.getResponse().beforeCommit(() -> {
			// set, not add: a downstream that echoes the id must not make it appear twice.
			exchange.getResponse().getHeaders().set(HEADER, requestId);
			return Mono.empty();
		});
		ServerHttpRequest withId = exchange.getRequest().mutate().headers(headers -> headers.set(HEADER, requestId)).build();
		return chain.filter(exchange.mutate().request(withId).build());
	}

	/** One to {@value #MAX_LENGTH} visible ASCII characters: no spaces or control characters to forge logs with. */
	static boolean isUsable(String requestId) {
		if (requestId == null || requestId.isEmpty() || requestId.length() > MAX_LENGTH) {
			return false;
		}
		return requestId.chars().allMatch(c -> c > 0x20 && c < 0x7f);
	}

}
