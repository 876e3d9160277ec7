package com.example.shop.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The single entry point of the platform. It routes {@code /api/**} to the service that owns the
 * resource, finding the service's instances by name in Eureka, and puts a deadline, a retry policy for
 * reads and a circuit breaker in front of every service. The routes themselves are plain configuration
 * in {@code application.yml}; the classes in this module add what configuration cannot express:
 * request ids, refusal of unsafe paths, a request body limit, the check of every request's bearer token
 * ({@code security/}), and problem+json answers for failures.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ApiGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(ApiGatewayApplication.class, args);
	}

}
