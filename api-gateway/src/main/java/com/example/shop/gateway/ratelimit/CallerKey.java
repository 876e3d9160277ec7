package com.example.shop.gateway.ratelimit;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;

import com.example.shop.gateway.storefront.VisitorAddressGatewayFilterFactory;

/**
 * Who a request counts against: a signed-in caller by the subject of their token (the same customer from any
 * device or address shares one budget, and customers behind one company proxy do not share theirs), an anonymous
 * one by the address of the TCP peer.
 * <p>
 * One exception: a backend for the browser calling for its anonymous visitors (the storefront) would put all its
 * visitors in one budget. So a service account named in {@code shop.gateway.rate-limits.forwarding-clients}
 * may say whose call it is, with the visitor's address in {@value #VISITOR_HEADER}, and the call counts against that
 * address, as the visitor's own would. Only such a client's token makes the header count: anybody else's is ignored.
 * <p>
 * The peer is the client only when nothing stands in front of the gateway. Behind a load balancer or proxy every
 * anonymous client would share the proxy's budget: there, make the gateway trust the proxy's
 * {@code X-Forwarded-For} ({@code server.forward-headers-strategy}) so that the peer is the real client.
 */
final class CallerKey {

	/** The visitor a forwarding client calls for: an IP address (the header the storefront's routes set). */
	static final String VISITOR_HEADER = VisitorAddressGatewayFilterFactory.HEADER;

	/** An IPv4 or IPv6 address as text, nothing else (never a host name to look up). */
	private static final Pattern IP_ADDRESS = Pattern
		.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}");

	/** Keycloak's name of a client's service account (its {@code preferred_username}). */
	private static final String SERVICE_ACCOUNT = "service-account-";

	private CallerKey() {
	}

	static Mono<String> of(ServerWebExchange exchange, Set<String> forwardingClients) {
		return exchange.getPrincipal()
			.filter(JwtAuthenticationToken.class::isInstance)
			.cast(JwtAuthenticationToken.class)
			.map(caller -> visitorOf(caller.getToken(), exchange, forwardingClients).map(visitor -> "address:" + visitor)
				.orElse("subject:" + caller.getName()))
			.switchIfEmpty(Mono.fromSupplier(() -> "address:" + address(exchange)));
	}

	private static Optional<String> visitorOf(Jwt token, ServerWebExchange exchange, Set<String> forwardingClients) {
		String client = token.getClaimAsString("azp");
		if (client == null || !forwardingClients.contains(client)
				|| !(SERVICE_ACCOUNT + client).equals(token.getClaimAsString("preferred_username"))) {
			return Optional.empty();
		}
		String visitor = exchange.getRequest().getHeaders().getFirst(VISITOR_HEADER);
		if (visitor == null || !IP_ADDRESS.matcher(visitor).matches()) {
			return Optional.empty();
		}
		return Optional.of(visitor);
	}

	private static String address(ServerWebExchange exchange) {
		InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
		if (peer == null) {
			return "unknown";
		}
		return (peer.getAddress() != null) ? peer.getAddress().getHostAddress() : peer.getHostString();
	}

}
