package com.example.shop.messaging;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import com.example.shop.messaging.rabbit.ConfirmedRabbitSender;

/**
 * The library's defaults for Spring Boot's own properties, at the lowest precedence (a service may override
 * any of them; all are visible in {@code /actuator/env}):
 * <ul>
 * <li>correlated publisher confirms and returns on Boot's RabbitMQ connection factory, which the library's
 * RabbitMQ publishing needs: a service that sets them otherwise gets a startup error from
 * {@link ConfirmedRabbitSender} that says so;</li>
 * <li>observation on Boot's Kafka and RabbitMQ listener containers, so every consumer's work joins the
 * producer's trace. An observed listener opens its span (and its {@code spring.kafka.listener} /
 * {@code spring.rabbit.listener} timer) as a child of the W3C {@code traceparent} header, extracted by the
 * tracer's propagator; the outbox relay sets that header to its publish span, a child of the envelope's trace
 * context (see {@link com.example.shop.messaging.outbox.PublishSpans}). So the consumer's inbox, its effects
 * and every message it enqueues in turn belong to the trace of the request that started the saga. The
 * library's publishers have their own templates and trace through {@code PublishSpans}, so template
 * observation is not needed for them.</li>
 * </ul>
 */
public class MessagingDefaults implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "shopMessagingDefaults";

	private static final Map<String, Object> DEFAULTS = Map.of(
			"spring.rabbitmq.publisher-confirm-type", "correlated",
			"spring.rabbitmq.publisher-returns", "true",
			"spring.kafka.listener.observation-enabled", "true",
			"spring.rabbitmq.listener.simple.observation-enabled", "true",
			"spring.rabbitmq.listener.direct.observation-enabled", "true");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(SOURCE_NAME)) {
			environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, DEFAULTS));
		}
	}

}
