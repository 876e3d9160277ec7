package com.example.shop.messaging.rabbit;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults (lowest precedence, visible in {@code /actuator/env}) for what the library's RabbitMQ publishing
 * needs from Spring Boot's connection factory: correlated publisher confirms and returns. A service that
 * sets them otherwise gets a startup error from {@link ConfirmedRabbitSender} that says so.
 */
public class MessagingRabbitDefaults implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "shopMessagingDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(SOURCE_NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(SOURCE_NAME, Map.of("spring.rabbitmq.publisher-confirm-type", "correlated",
						"spring.rabbitmq.publisher-returns", "true")));
		}
	}

}
