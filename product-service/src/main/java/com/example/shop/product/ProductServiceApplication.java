package com.example.shop.product;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Owns the product catalog: REST on 8081 for clients (through the gateway), gRPC on 9081 for services.
 * <p>
 * Spring gRPC's own resource-server auto-configuration is left out: it reacts to libs/security's
 * {@code JwtDecoder} by requiring a token on every gRPC call, health included, and its refusal reaches
 * {@code GrpcErrors} as INTERNAL. libs/security's {@code GrpcTokenCheck} checks gRPC tokens instead, with this
 * service's {@code GrpcAccessRules}: the scope each gRPC service needs, health and reflection open.
 */
@SpringBootApplication(excludeName = ProductServiceApplication.GRPC_RESOURCE_SERVER)
public class ProductServiceApplication {

	static final String GRPC_RESOURCE_SERVER = "org.springframework.boot.grpc.server.autoconfigure.security."
			+ "OAuth2ResourceServerAutoConfiguration";

	public static void main(String[] args) {
		SpringApplication.run(ProductServiceApplication.class, args);
	}

	/**
	 * The service's one source of the current time (ArchitectureTests allows no other), so a test can set it. The
	 * catalog itself reads no time today: PostgreSQL stamps {@code updated_at}.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
