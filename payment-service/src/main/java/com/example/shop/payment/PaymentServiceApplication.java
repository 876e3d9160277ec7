package com.example.shop.payment;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * Owns the payment of every order: authorize, capture, void and refund against the built-in payment
 * provider simulator. REST on 8084 lists an order's payments; the order saga drives it over RabbitMQ.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PaymentServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(PaymentServiceApplication.class, args);
	}

	/**
	 * The service's one source of the current time (ArchitectureTests allows no other): payments are stamped with it,
	 * and the provider's deadlines are set and kept by it, so a test can set it.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
