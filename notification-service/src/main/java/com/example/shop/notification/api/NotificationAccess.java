package com.example.shop.notification.api;

import com.example.shop.security.AccessRules;
import com.example.shop.security.Caller;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Who may call what (libs/security; README "Who may call what"): a customer or an admin reads notifications and
 * opens an order's live status; {@link NotificationController} and the WebSocket handshake narrow a customer to
 * their own orders. Everything not named here needs the role admin: the dead-letter admin API
 * ({@code /admin/dead-letters/**}, {@code /api/admin/notification-service/...} at the gateway).
 */
@Configuration(proxyBeanMethods = false)
class NotificationAccess {

	@Bean
	AccessRules notificationAccessRules() {
		return rules -> rules.requestMatchers(HttpMethod.GET, "/api/notifications", "/ws/orders/*")
			.hasAnyRole(Caller.CUSTOMER, Caller.ADMIN);
	}

}
