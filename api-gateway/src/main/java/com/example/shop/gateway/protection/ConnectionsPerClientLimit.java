package com.example.shop.gateway.protection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code shop.gateway.max-connections-per-client} open connections per client address: one client
 * opening connections without end (or holding them open, slowly) must not use up the gateway's sockets and
 * memory for everyone. A connection over the limit is closed as soon as it is accepted, before a byte is
 * read, and counted in {@code gateway.connections.refused{reason="per-client-limit"}}.
 * <p>
 * The address is the TCP peer's: behind a proxy or load balancer that is the proxy's, and the limit must
 * then be raised or switched off (0) there.
 */
public final class ConnectionsPerClientLimit {

	private static final Logger log = LoggerFactory.getLogger(ConnectionsPerClientLimit.class);

	private final int maxPerClient;

	private final ConcurrentMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

	private final Counter refused;

	public ConnectionsPerClientLimit(int maxPerClient, MeterRegistry meters) {
		this.maxPerClient = maxPerClient;
		this.refused = Counter.builder("gateway.connections.refused")
			.description("Client connections the gateway closed as soon as they were accepted")
			.tag("reason", "per-client-limit")
			.register(meters);
	}

	/** Admits a new connection, or closes it at once when its client already holds the maximum. */
	public void admit(Channel channel) {
		if (maxPerClient <= 0 || !(channel.remoteAddress() instanceof InetSocketAddress peer)) {
			return;
		}
		InetAddress client = peer.getAddress();
		boolean[] admitted = new boolean[1];
		open.compute(client, (address, count) -> {
			int current = (count != null) ? count : 0;
			admitted[0] = current < maxPerClient;
			return admitted[0] ? current + 1 : count;
		});
		if (!admitted[0]) {
			refused.increment();
			log.debug("Closed a connection from {}: it already holds {} connections", client.getHostAddress(),
					maxPerClient);
			channel.close();
			return;
		}
		channel.closeFuture().addListener(closed -> open.computeIfPresent(client,
				(address, count) -> (count > 1) ? count - 1 : null));
	}

}
