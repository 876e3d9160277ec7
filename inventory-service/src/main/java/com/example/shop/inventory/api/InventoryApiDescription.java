package com.example.shop.inventory.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

import org.springframework.context.annotation.Configuration;

/**
 * The title and version of inventory's OpenAPI description (libs/openapi adds what every service's has). The
 * version's major number goes up with a change that breaks clients (docs/openapi/README.md).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "inventory-service: stock", version = "1.0.0",
		description = "Each product's units on hand, reserved for orders and available. Reading one product's stock "
				+ "is anonymous; setting it needs the role admin. Reservations are made by the order saga, not here. "
				+ "Errors are application/problem+json (RFC 9457)."))
class InventoryApiDescription {

}
