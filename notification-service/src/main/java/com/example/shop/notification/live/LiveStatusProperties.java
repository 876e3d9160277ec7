package com.example.shop.notification.live;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code shop.notification.live.*}: the live order status WebSocket (application.yml explains the values).
 *
 * @param feedGroupId this replica's own consumer group of that topic, never shared by replicas (the feed's
 *        {@code @KafkaListener} reads it; random per start by default)
 * @param pingInterval how often each open session is pinged; one without a pong for two intervals is closed
 * @param sendTimeLimit how long one send to a client may take before the session is closed
 * @param sendBufferLimit how much may wait for a slow client before the session is closed
 * @param queuedUpdatesLimit status updates queued for one session before it is closed as too slow
 * @param closeAfterFinalStatus how long a session stays open after its order reached a final status
 * @param allowedOriginPatterns browser origins allowed to open the WebSocket
 * @param orderService where and how long to ask order-service for an order the projection does not know
 */
@ConfigurationProperties("shop.notification.live")
public record LiveStatusProperties(String feedGroupId,
		@DefaultValue("25s") Duration pingInterval, @DefaultValue("5s") Duration sendTimeLimit,
		@DefaultValue("64KB") DataSize sendBufferLimit, @DefaultValue("32") int queuedUpdatesLimit,
		@DefaultValue("30s") Duration closeAfterFinalStatus, @DefaultValue("*") List<String> allowedOriginPatterns,
		@DefaultValue OrderService orderService) {

	public LiveStatusProperties {
		if (pingInterval.isNegative() || pingInterval.isZero() || sendTimeLimit.isNegative() || sendTimeLimit.isZero()) {
			throw new IllegalArgumentException("shop.notification.live.ping-interval and send-time-limit must be positive");
		}
		if (queuedUpdatesLimit < 1) {
			throw new IllegalArgumentException("shop.notification.live.queued-updates-limit must be >= 1");
		}
	}

	/**
	 * {@code shop.notification.live.order-service.*}.
	 *
	 * @param baseUrl order-service by its Eureka name (the RestClient is load-balanced)
	 * @param connectTimeout deadline for the TCP connection
	 * @param responseTimeout deadline for the response, after the connection
	 */
	/**
	 * @param sslBundle the SSL bundle whose certificate the client presents and whose CA it trusts (the mtls
	 * profile's "service"); none: plain HTTP
	 */
	public record OrderService(@DefaultValue("http://order-service") String baseUrl,
			@DefaultValue("500ms") Duration connectTimeout, @DefaultValue("2s") Duration responseTimeout,
			@Nullable String sslBundle) {
	}

}
