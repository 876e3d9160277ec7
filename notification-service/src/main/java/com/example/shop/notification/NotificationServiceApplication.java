package com.example.shop.notification;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/**
 * Tells customers about their orders: an email for each order outcome (over SMTP, retried through RabbitMQ
 * delay tiers), listed by REST on 8085, and the order's live status over a WebSocket at
 * {@code /ws/orders/{id}}. Reacts to the order lifecycle events on Kafka ({@code orders.events}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class NotificationServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(NotificationServiceApplication.class, args);
	}

	/**
	 * The service's one source of the current time (ArchitectureTests allows no other): notifications are stamped with
	 * it, and the live sessions' pings and token expiries are timed by it, so a test can set it.
	 */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
