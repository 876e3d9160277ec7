package com.example.shop.gateway.protection;

import java.util.Locale;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.example.shop.gateway.problem.GatewayProblemException;

/**
 * Refuses request paths a downstream could resolve differently from the gateway. The gateway matches
 * routes on the path as sent and forwards it unchanged; a downstream server (Tomcat) normalises it
 * first. So {@code /api/products/../actuator/health} matches the products route here but is
 * {@code /actuator/health} there. Dot segments (plain, percent-encoded or with {@code ;} parameters,
 * which Tomcat strips), encoded slashes and backslashes, double encoding and NUL never occur in a path
 * of the public API, so such a request is answered 400 before any route is looked at.
 */
@Component
public class UnsafePathFilter implements WebFilter, Ordered {

	/** Encoded '.', '/', '\', '%' and NUL, in either letter case (the path is lower-cased first). */
	private static final Pattern UNSAFE_ENCODING = Pattern.compile("%(2e|2f|5c|25|00)");

	@Override
	public int getOrder() {
		// Right after the request id, before anything reads the path.
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String rawPath = exchange.getRequest().getURI().getRawPath();
		if (isUnsafe(rawPath)) {
			return Mono.error(new GatewayProblemException(HttpStatus.BAD_REQUEST, "Bad request",
					"The request path contains a dot segment, an encoded separator or a path parameter, "
							+ "which no route of this API accepts"));
		}
		return chain.filter(exchange);
	}

	static boolean isUnsafe(String rawPath) {
		if (rawPath == null) {
			return false;
		}
		String path = rawPath.toLowerCase(Locale.ROOT);
		if (path.indexOf('\\') >= 0 || path.indexOf(';') >= 0 || UNSAFE_ENCODING.matcher(path).find()) {
			return true;
		}
		for (String segment : path.split("/", -1)) {
			if (segment.equals(".") || segment.equals("..")) {
				return true;
			}
		}
		return false;
	}

}
