package com.example.shop.gateway.problem;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Remembers the path the client asked for, so that a problem answer names it as its {@code instance}
 * even when the gateway has forwarded the request internally (a circuit breaker fallback runs on a
 * request for {@code /fallback/<service>}).
 */
@Component
public class OriginalPathFilter implements WebFilter, Ordered {

	static final String ORIGINAL_PATH_ATTRIBUTE = OriginalPathFilter.class.getName() + ".path";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		exchange.getAttributes().put(ORIGINAL_PATH_ATTRIBUTE, exchange.getRequest().getURI().getRawPath());
		return chain.filter(exchange);
	}

}
