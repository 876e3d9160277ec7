package com.example.shop.inventory;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Owns stock levels and reservations: REST on 8082 (anybody reads, operators set stock; through the gateway),
 * gRPC on 9082 for services. Scheduling runs the reservation expiry sweeper.
 * <p>
 * Spring gRPC's own resource-server auto-configuration is left out: it reacts to libs/security's
 * {@code JwtDecoder} by requiring a token on every gRPC call, health included, and its refusal reaches
 * {@code GrpcErrors} as INTERNAL. libs/security's {@code GrpcTokenCheck} checks gRPC tokens instead, with this
 * service's {@code GrpcAccessRules}: the scope each gRPC service needs, health and reflection open.
 */
@SpringBootApplication(excludeName = InventoryServiceApplication.GRPC_RESOURCE_SERVER)
@ConfigurationPropertiesScan
@EnableScheduling
public class InventoryServiceApplication {

	static final String GRPC_RESOURCE_SERVER = "org.springframework.boot.grpc.server.autoconfigure.security."
			+ "OAuth2ResourceServerAutoConfiguration";

	public static void main(String[] args) {
		SpringApplication.run(InventoryServiceApplication.class, args);
	}

	/** The time reservations are stamped and expired with; one place to read it from. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
