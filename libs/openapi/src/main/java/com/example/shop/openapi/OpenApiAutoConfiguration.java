package com.example.shop.openapi;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import com.example.shop.security.Caller;
import com.example.shop.security.SecuritySettings;

/**
 * Adding this library is all a REST service does to describe its API as clients see it through the gateway, at
 * {@code GET /v3/api-docs} (anonymous: libs/security opens it). docs/openapi/ holds each service's description, and
 * its README how it is checked.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({ OpenApiSettings.class, SecuritySettings.class })
public class OpenApiAutoConfiguration {

	static {
		// Resolved from the token by libs/security, never sent by a client: not a parameter of any operation.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
	}

	@Bean
	OpenApiCustomizer gatewayDescription(OpenApiSettings settings, SecuritySettings security,
			@Value("${spring.application.name}") String service) {
		return new GatewayDescription(settings, security, service);
	}

}
