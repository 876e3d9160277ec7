package com.example.shop.product.api;

import com.example.shop.security.AccessRules;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Who may call the catalog's REST API: anybody may read it (the list and one product), with or without a token.
 * Everything not named here needs role {@code admin} (libs/security's last rule): the product writes (POST, PUT,
 * DELETE) and the dead-letter API ({@code /admin/dead-letters}, from libs/messaging). Health, info and prometheus
 * are open by the library. The gRPC server is not behind these rules.
 */
@Configuration(proxyBeanMethods = false)
class ProductApiAccess {

	@Bean
	AccessRules productAccess() {
		return rules -> rules.requestMatchers(HttpMethod.GET, "/api/products", "/api/products/*").permitAll();
	}

}
