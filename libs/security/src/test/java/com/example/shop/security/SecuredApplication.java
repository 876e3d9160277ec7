package com.example.shop.security;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A service in miniature: one endpoint per kind of rule the real services declare. */
@SpringBootApplication
class SecuredApplication {

	@Bean
	AccessRules rules() {
		return rules -> rules.requestMatchers(HttpMethod.GET, "/api/open")
			.permitAll()
			.requestMatchers(HttpMethod.GET, "/api/mine")
			.hasAnyRole(Caller.CUSTOMER, Caller.ADMIN)
			.requestMatchers(HttpMethod.GET, "/api/for-services")
			.hasAuthority("SCOPE_orders.read");
	}

	@RestController
	static class Endpoints {

		@GetMapping("/api/open")
		String open() {
			return "open";
		}

		@GetMapping("/api/mine")
		String mine(Caller caller) {
			return caller.subject() + " " + caller.email() + " admin=" + caller.isAdmin();
		}

		@GetMapping("/api/for-services")
		String forServices(Caller caller) {
			return caller.subject();
		}

		@PostMapping("/api/things")
		String change() {
			return "changed";
		}

		/** Where springdoc serves a service's OpenAPI description (libs/openapi). */
		@GetMapping("/v3/api-docs")
		String description() {
			return "{\"openapi\":\"3.0.1\"}";
		}

	}

}
