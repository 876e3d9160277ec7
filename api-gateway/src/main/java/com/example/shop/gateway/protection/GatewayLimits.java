package com.example.shop.gateway.protection;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits the gateway enforces on every request and connection, from {@code shop.gateway.*}.
 *
 * @param maxRequestSize largest request body accepted; larger ones are answered 413
 * @param requestHeadTimeout time a connection has to deliver a complete request head (request line and
 * headers), counted from the connection's start or the first byte of a following request; then it is
 * closed
 * @param maxConnectionsPerClient open connections one client address may hold; further ones are closed
 * at once. 0 switches the limit off
 */
@ConfigurationProperties("shop.gateway")
public record GatewayLimits(@DefaultValue("1MB") DataSize maxRequestSize,
		@DefaultValue("10s") Duration requestHeadTimeout, @DefaultValue("64") int maxConnectionsPerClient) {
}
