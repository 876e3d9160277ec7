package com.example.shop.gateway.apidocs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.shop.security.SecuritySettings;

/**
 * The Swagger UI at {@code /swagger-ui}: springdoc serves it (its settings are in application.yml, with the routes
 * to the services' descriptions); the gateway adds its page's headers.
 */
@Configuration(proxyBeanMethods = false)
class SwaggerUiConfiguration {

	@Bean
	SwaggerUiHeaders swaggerUiHeaders(SecuritySettings security) {
		return new SwaggerUiHeaders(security.issuerUri());
	}

}
