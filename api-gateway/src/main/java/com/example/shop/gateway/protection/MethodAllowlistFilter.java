package com.example.shop.gateway.protection;

import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.example.shop.gateway.problem.GatewayProblemException;

/**
 * Answers 405 with {@code Allow} to any method the API does not use (TRACE, CONNECT, invented ones),
 * whatever the path: routes without a method predicate would otherwise pass them on to a service, and
 * TRACE echoes the request, headers included, back to whoever sent it.
 */
@Component
public class MethodAllowlistFilter implements WebFilter, Ordered {

	static final Set<HttpMethod> ALLOWED = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
			HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);

	private static final String ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

	@Override
	public int getOrder() {
		// After the request id and the original path, before anything looks at the path.
		return Ordered.HIGHEST_PRECEDENCE + 5;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		HttpMethod method = exchange.getRequest().getMethod();
		if (ALLOWED.contains(method)) {
			return chain.filter(exchange);
		}
		HttpHeaders allow = new HttpHeaders();
		allow.set(HttpHeaders.ALLOW, ALLOW);
		return Mono.error(new GatewayProblemException(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
				"The API does not accept the method " + printable(method.name()) + "; it accepts " + ALLOW, null,
				allow));
	}

	/** The method as the detail repeats it: a token, but cut short and limited to visible ASCII anyway. */
	private static String printable(String method) {
		String shortened = (method.length() > 20) ? method.substring(0, 20) + "..." : method;
		return shortened.replaceAll("[^\\x21-\\x7e]", "?");
	}

}
