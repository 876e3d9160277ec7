package com.example.shop.gateway.storefront;

import java.net.InetSocketAddress;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * {@code - VisitorAddress} on the storefront's routes: tells the storefront who the browser is, in
 * {@value #HEADER}, set to the address the request came from and replacing whatever the client sent. The storefront
 * takes it as the visitor's address only from the gateway (Tomcat's RemoteIpValve, its trusted proxies), and names
 * that visitor when it calls the API for them, so that each anonymous visitor has a rate-limit budget of their own
 * (ratelimit.CallerKey). Without it every visitor would look like the gateway to the storefront.
 * <p>
 * Not X-Forwarded-For: Spring Cloud Gateway writes those only for requests from its trusted proxies, and there are
 * none in front of this gateway locally; a header of our own, always overwritten, cannot be forged by a client.
 */
@Component
public class VisitorAddressGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

	public static final String HEADER = "X-Visitor-Address";

	public VisitorAddressGatewayFilterFactory() {
		super(Object.class);
	}

	@Override
	public GatewayFilter apply(Object config) {
		return (exchange, chain) -> {
			ServerHttpRequest request = exchange.getRequest()
				.mutate()
				.headers(headers -> headers.set(HEADER, address(exchange.getRequest().getRemoteAddress())))
				.build();
			return chain.filter(exchange.mutate().request(request).build());
		};
	}

	private static String address(InetSocketAddress peer) {
		if (peer == null) {
			return "unknown";
		}
		return (peer.getAddress() != null) ? peer.getAddress().getHostAddress() : peer.getHostString();
	}

}
