package com.example.shop.product.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

import org.springframework.context.annotation.Configuration;

/**
 * The title and version of the catalog's OpenAPI description (libs/openapi adds what every service's has). The
 * version's major number goes up with a change that breaks clients (docs/openapi/README.md).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "product-service: the catalog", version = "1.0.0",
		description = "Products, their prices and whether they are available. Reads are anonymous; writes need the "
				+ "role admin. Errors are application/problem+json (RFC 9457)."))
class ProductApiDescription {

}
