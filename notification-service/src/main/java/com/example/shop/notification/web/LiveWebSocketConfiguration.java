package com.example.shop.notification.web;

import com.example.shop.notification.live.LiveStatusAccess;
import com.example.shop.notification.live.LiveStatusProperties;
import com.example.shop.notification.live.OrderStatusProjection;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The live order status endpoint {@code /ws/orders/{id}}: plain WebSocket (no STOMP, no SockJS), the handshake
 * checked by {@link OrderStatusHandshake}, browser origins limited by {@code shop.notification.live.allowed-origin-patterns}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class LiveWebSocketConfiguration implements WebSocketConfigurer {

	private final OrderStatusSessions sessions;

	private final OrderStatusProjection projection;

	private final LiveStatusAccess access;

	private final LiveStatusProperties properties;

	private final JsonMapper json;

	LiveWebSocketConfiguration(OrderStatusSessions sessions, OrderStatusProjection projection,
			LiveStatusAccess access, LiveStatusProperties properties, JsonMapper json) {
		this.sessions = sessions;
		this.projection = projection;
		this.access = access;
		this.properties = properties;
		this.json = json;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new OrderStatusWebSocketHandler(this.sessions, this.projection), "/ws/orders/*")
			.addInterceptors(new OrderStatusHandshake(this.access, this.json))
			.setAllowedOriginPatterns(this.properties.allowedOriginPatterns().toArray(String[]::new));
	}

}
