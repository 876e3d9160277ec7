package com.example.shop.gateway.ratelimit;

import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who a request counts against: a signed-in caller by the subject of their token (the same customer from any
 * device or address shares one budget, and customers behind one company proxy do not share theirs), an anonymous
 * one by the address of the TCP peer.
 * <p>
 * The peer is the client only when nothing stands in front of the gateway. Behind a load balancer or proxy every
 * anonymous client would share the proxy's budget: there, make the gateway trust the proxy's
 * {@code X-Forwarded-For} ({@code server.forward-headers-strategy}) so that the peer is the real client.
 */
final class CallerKey {

	private CallerKey() {
	}

	static Mono<String> of(ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.filter(JwtAuthenticationToken.class::isInstance)
			.map(principal -> "subject:" + principal.getName())
			.switchIfEmpty(Mono.fromSupplier(() -> "address:" + address(exchange)));
	}

	private static String address(ServerWebExchange exchange) {
		InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
		if (peer == null) {
			return "unknown";
		}
		return (peer.getAddress() != null) ? peer.getAddress().getHostAddress() : peer.getHostString();
	}

}
