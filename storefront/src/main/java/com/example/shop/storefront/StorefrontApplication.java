package com.example.shop.storefront;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * The web shop: pages rendered on the server, a backend for the browser that logs shoppers in with Keycloak and
 * keeps their tokens in the session (never in the browser), and a client of the gateway's public API like any
 * other (docs/storefront.md).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StorefrontApplication {

	public static void main(String[] args) {
		SpringApplication.run(StorefrontApplication.class, args);
	}

	/**
	 * The storefront's one source of the current time (ArchitectureTests allows no other), so a test can set it; today
	 * libs/security reads it, to renew the storefront's own token in time.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
