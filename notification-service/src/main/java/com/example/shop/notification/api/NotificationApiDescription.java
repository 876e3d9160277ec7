package com.example.shop.notification.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

import org.springframework.context.annotation.Configuration;

/**
 * The title and version of notification-service's OpenAPI description (libs/openapi adds what every service's
 * has). The version's major number goes up with a change that breaks clients (docs/openapi/README.md).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "notification-service: notifications and live order status",
		version = "1.0.0", description = "The e-mails sent about each order, and the live status of an order as a "
				+ "WebSocket. Every operation needs the role customer or admin; a customer sees only their own "
				+ "orders'. Errors are application/problem+json (RFC 9457)."))
class NotificationApiDescription {

}
