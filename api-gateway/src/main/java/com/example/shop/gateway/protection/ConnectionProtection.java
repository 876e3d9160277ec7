package com.example.shop.gateway.protection;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import com.example.shop.gateway.problem.ProtocolErrorProblemBody;

/**
 * Puts the gateway's connection-level protections on every accepted connection, before Reactor Netty
 * reads a byte of it: the per-client connection limit, the request head deadline and the problem+json
 * body for the HTTP decoder's own refusals. The limits themselves are plain configuration
 * ({@code shop.gateway.*}, {@code server.netty.*}, {@code server.max-http-request-header-size}).
 */
@Component
public class ConnectionProtection implements NettyServerCustomizer {

	private final GatewayLimits limits;

	private final ConnectionsPerClientLimit perClientLimit;

	private final ProtocolErrorProblemBody protocolErrorBody;

	public ConnectionProtection(GatewayLimits limits, MeterRegistry meters,
			@Value("${server.netty.max-initial-line-length:4KB}") DataSize maxRequestLine,
			@Value("${server.max-http-request-header-size:8KB}") DataSize maxHeaders) {
		this.limits = limits;
		this.perClientLimit = new ConnectionsPerClientLimit(limits.maxConnectionsPerClient(), meters);
		this.protocolErrorBody = new ProtocolErrorProblemBody(maxRequestLine.toKilobytes() + " KB",
				maxHeaders.toKilobytes() + " KB");
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> {
			perClientLimit.admit(channel);
			ChannelPipeline pipeline = channel.pipeline();
			if (!channel.isOpen() || pipeline.get(NettyPipeline.HttpCodec) == null) {
				// Refused by the limit, or not an HTTP/1.1 connection (the gateway serves no other).
				return;
			}
			pipeline.addAfter(NettyPipeline.HttpCodec, RequestHeadTimeout.NAME,
					new RequestHeadTimeout(limits.requestHeadTimeout()));
			pipeline.addAfter(NettyPipeline.HttpCodec, ProtocolErrorProblemBody.NAME, protocolErrorBody);
		});
	}

}
