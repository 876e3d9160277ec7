package com.example.shop.inventory.api;

import com.example.shop.security.AccessRules;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Who may call inventory's REST API: anybody may read one product's stock, with or without a token. Everything
 * not named here needs role {@code admin} (libs/security's last rule): setting the units on hand (PUT) and the
 * dead-letter API ({@code /admin/dead-letters}, from libs/messaging). Health, info and prometheus are open by the
 * library. The gRPC server and the saga's Kafka commands are not behind these rules.
 */
@Configuration(proxyBeanMethods = false)
class InventoryApiAccess {

	@Bean
	AccessRules inventoryAccess() {
		return rules -> rules.requestMatchers(HttpMethod.GET, "/api/inventory/*").permitAll();
	}

}
