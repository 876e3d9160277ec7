package com.example.shop.payment.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

import org.springframework.context.annotation.Configuration;

/**
 * The title and version of payment-service's OpenAPI description (libs/openapi adds what every service's has). The
 * version's major number goes up with a change that breaks clients (docs/openapi/README.md).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "payment-service: payments", version = "1.0.0",
		description = "The payment of each order, as the order saga authorized, captured, voided or refunded it. "
				+ "Read-only; every operation needs the role customer or admin, and a customer sees only their own "
				+ "orders' payments. Errors are application/problem+json (RFC 9457)."))
class PaymentApiDescription {

}
