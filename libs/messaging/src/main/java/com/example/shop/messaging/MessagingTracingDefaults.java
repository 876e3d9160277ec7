package com.example.shop.messaging;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults (lowest precedence, visible in {@code /actuator/env}) that make every consumer's work join the
 * producer's trace: observation on Spring Boot's Kafka and RabbitMQ listener containers. An observed
 * listener opens its span (and its {@code spring.kafka.listener} / {@code spring.rabbit.listener} timer) as a
 * child of the W3C {@code traceparent} header, extracted by the tracer's propagator; the outbox relay sets
 * that header to its publish span, a child of the envelope's trace context (see
 * {@link com.example.shop.messaging.outbox.PublishSpans}). So the consumer's inbox, its effects and every
 * message it enqueues in turn belong to the trace of the request that started the saga.
 * <p>
 * The library's publishers have their own templates and trace through {@code PublishSpans}, so template
 * observation is not needed for them. A service may still switch either property off.
 */
public class MessagingTracingDefaults implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "shopMessagingTracingDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getPropertySources().contains(SOURCE_NAME)) {
			environment.getPropertySources()
				.addLast(new MapPropertySource(SOURCE_NAME,
						Map.of("spring.kafka.listener.observation-enabled", "true",
								"spring.rabbitmq.listener.simple.observation-enabled", "true",
								"spring.rabbitmq.listener.direct.observation-enabled", "true")));
		}
	}

}
