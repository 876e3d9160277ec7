package com.example.shop.inventory;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Owns stock levels and reservations: REST on 8082 for operators (through the gateway), gRPC on 9082 for
 * services. Scheduling runs the reservation expiry sweeper.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class InventoryServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(InventoryServiceApplication.class, args);
	}

	/** The time reservations are stamped and expired with; one place to read it from. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
