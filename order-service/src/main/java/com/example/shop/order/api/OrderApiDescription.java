package com.example.shop.order.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

import org.springframework.context.annotation.Configuration;

/**
 * The title and version of the orders' OpenAPI description (libs/openapi adds what every service's has). The
 * version's major number goes up with a change that breaks clients (docs/openapi/README.md).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "order-service: orders", version = "1.0.0",
		description = "Placing, reading and cancelling orders; the order saga (docs/saga.md) takes each order on "
				+ "from PENDING. Every operation needs the role customer or admin; a customer sees only their own "
				+ "orders, and another customer's order is answered 404. Errors are application/problem+json "
				+ "(RFC 9457)."))
class OrderApiDescription {

}
