package com.example.shop.gateway.security;

import java.util.ArrayList;
import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.example.shop.gateway.problem.GatewayProblemException;

/**
 * Lets a browser authenticate a WebSocket. A browser's WebSocket API cannot set headers, only the subprotocols it
 * offers; so a client may offer {@code Sec-WebSocket-Protocol: bearer, <token>} (a JWT's characters are all valid
 * in a subprotocol name; Kubernetes' API server reads a token from a subprotocol the same way). For an upgrade on
 * {@code /ws/**}, this filter moves the token to where everything else looks for it:
 * <ul>
 * <li>the request gets {@code Authorization: Bearer <token>}, which Spring Security checks as for any request,
 * and which is forwarded to the service, so it checks the same token;</li>
 * <li>the token is removed from the offered subprotocols, leaving {@code bearer} (and whatever else the client
 * offered): the service is offered {@code bearer} without the token, and the handshake answer to the client
 * selects {@code bearer}, which is what the browser requires when it offered subprotocols.</li>
 * </ul>
 * Not a query parameter ({@code ?access_token=}), the other common way: a URL, token included, ends up in access
 * logs, proxies' logs and the browser's history.
 * <p>
 * A request that sends a token both ways is refused (400): RFC 6750 allows one way per request, and two tokens
 * could differ. Ordered right after {@link com.example.shop.gateway.protection.WebSocketHandshakeFilter}, so a
 * broken handshake is refused as such first, and long before Spring Security (-100).
 */
@Component
public class WebSocketBearerToken implements WebFilter, Ordered {

	/** The subprotocol that announces a token as the next one. */
	public static final String SUBPROTOCOL = "bearer";

	private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 13;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		if (!request.getPath().value().startsWith("/ws/") || !"websocket".equalsIgnoreCase(headers.getUpgrade())) {
			return chain.filter(exchange);
		}
		List<String> offered = offered(headers);
		int announced = offered.indexOf(SUBPROTOCOL);
		if (announced < 0 || announced + 1 >= offered.size()) {
			// No token offered this way: the Authorization header, or nothing (401 then).
			return chain.filter(exchange);
		}
		if (headers.containsHeader(HttpHeaders.AUTHORIZATION)) {
			return Mono.error(new GatewayProblemException(HttpStatus.BAD_REQUEST, "Bad request",
					"Send the bearer token once: in the Authorization header or in the WebSocket subprotocols, "
							+ "not both"));
		}
		String token = offered.get(announced + 1);
		List<String> remaining = new ArrayList<>(offered);
		remaining.remove(announced + 1);
		ServerHttpRequest withHeader = request.mutate().headers(mutable -> {
			mutable.set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
			mutable.set(PROTOCOL_HEADER, String.join(", ", remaining));
		}).build();
		return chain.filter(exchange.mutate().request(withHeader).build());
	}

	/** Every subprotocol offered, in order, whether in one header or several. */
	private static List<String> offered(HttpHeaders headers) {
		List<String> offered = new ArrayList<>();
		for (String value : headers.getValuesAsList(PROTOCOL_HEADER)) {
			for (String protocol : StringUtils.tokenizeToStringArray(value, ",")) {
				offered.add(protocol);
			}
		}
		return offered;
	}

}
