package com.example.shop.gateway.protection;

import java.util.Base64;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.example.shop.gateway.problem.GatewayProblemException;

/**
 * Checks a WebSocket upgrade request to {@code /ws/**} before the gateway tries the handshake, which
 * otherwise fails inside Reactor Netty for an incomplete request: the connection is closed without an
 * answer and an ERROR is logged. RFC 6455, section 4.2: a version other than 13 (or none) is answered 426
 * with {@code Sec-WebSocket-Version: 13}, the version the gateway speaks; a missing or malformed
 * {@code Sec-WebSocket-Key} (base64 of 16 bytes) is answered 400. Requests that do not ask for an upgrade
 * are left alone.
 */
@Component
public class WebSocketHandshakeFilter implements WebFilter, Ordered {

	static final String SUPPORTED_VERSION = "13";

	private static final String VERSION_HEADER = "Sec-WebSocket-Version";

	private static final String KEY_HEADER = "Sec-WebSocket-Key";

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 12;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		HttpHeaders headers = exchange.getRequest().getHeaders();
		if (!exchange.getRequest().getPath().value().startsWith("/ws/")
				|| !"websocket".equalsIgnoreCase(headers.getFirst(HttpHeaders.UPGRADE))) {
			return chain.filter(exchange);
		}
		if (!SUPPORTED_VERSION.equals(headers.getFirst(VERSION_HEADER))) {
			HttpHeaders supported = new HttpHeaders();
			supported.set(VERSION_HEADER, SUPPORTED_VERSION);
			return Mono.error(new GatewayProblemException(HttpStatus.UPGRADE_REQUIRED, "Upgrade required",
					"The gateway speaks WebSocket version " + SUPPORTED_VERSION + " only (" + VERSION_HEADER + ")",
					null, supported));
		}
		if (!isValidKey(headers.getFirst(KEY_HEADER))) {
			return Mono.error(new GatewayProblemException(HttpStatus.BAD_REQUEST, "Bad request",
					"A WebSocket upgrade needs a " + KEY_HEADER + " header: 16 random bytes, base64-encoded"));
		}
		return chain.filter(exchange);
	}

	static boolean isValidKey(@Nullable String key) {
		if (key == null) {
			return false;
		}
		try {
			return Base64.getDecoder().decode(key.trim()).length == 16;
		}
		catch (IllegalArgumentException notBase64) {
			return false;
		}
	}

}
