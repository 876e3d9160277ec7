package com.example.shop.messaging.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.envelope.MalformedMessageException;

/**
 * The Kafka half, present only when the service has Spring Boot's Kafka support
 * ({@code spring-boot-starter-kafka}): the outbox publisher, and for every {@code @KafkaListener} String
 * values behind an {@link ErrorHandlingDeserializer} plus an error handler that retries with backoff and
 * then writes to {@code <topic>.DLT}. Boot's listener container factory picks both up by type.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({ KafkaTemplate.class, KafkaProperties.class })
@EnableConfigurationProperties(MessagingProperties.class)
public class KafkaMessagingAutoConfiguration {

	/** Declared topics are created when Kafka answers, even if it did not while the service started. */
	@Bean
	DeclaredTopicsRetry declaredTopicsRetry(ObjectProvider<KafkaAdmin> admin) {
		return new DeclaredTopicsRetry(admin, Duration.ofSeconds(1), Duration.ofSeconds(30));
	}

	@Bean
	KafkaOutboxPublisher kafkaOutboxPublisher(KafkaProperties kafka, KafkaConnectionDetails connection,
			MessagingProperties messaging, Environment environment) {
		return new KafkaOutboxPublisher(
				KafkaProducerProperties.reliable(kafka, connection, applicationName(environment) + "-outbox"),
				messaging.outbox().publishTimeout());
	}

	@Bean
	KafkaDeadLetterPublisher kafkaDeadLetterPublisher(KafkaProperties kafka, KafkaConnectionDetails connection,
			Environment environment, MessagingProperties messaging) {
		return new KafkaDeadLetterPublisher(
				KafkaProducerProperties.reliable(kafka, connection, applicationName(environment) + "-dead-letters"),
				messaging.kafka().maxRetries());
	}

	/**
	 * Retries a failing record in place (the partition waits; order within it is Kafka's promise), then
	 * dead-letters it and moves on. Malformed and undeserializable records skip the retries: they would fail
	 * the same way every time.
	 */
	@Bean
	@ConditionalOnMissingBean(CommonErrorHandler.class)
	DefaultErrorHandler deadLetteringErrorHandler(KafkaDeadLetterPublisher deadLetters, MessagingProperties messaging) {
		MessagingProperties.Kafka retry = messaging.kafka();
		ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retry.maxRetries());
		backOff.setInitialInterval(retry.retryInitialInterval().toMillis());
		backOff.setMultiplier(retry.retryMultiplier());
		backOff.setMaxInterval(retry.retryMaxInterval().toMillis());
		DefaultErrorHandler handler = new DefaultErrorHandler(deadLetters.recoverer(), backOff);
		// Already not retried by default: DeserializationException, conversion and method-argument failures.
		handler.addNotRetryableExceptions(MalformedMessageException.class);
		return handler;
	}

	/**
	 * Envelopes are JSON text. The {@link ErrorHandlingDeserializer} turns bytes that cannot be read into a
	 * failed record for the error handler instead of an exception in the poll loop, which would repeat the
	 * same record forever.
	 */
	@Bean
	DefaultKafkaConsumerFactoryCustomizer envelopeDeserializers() {
		return (factory) -> factory.updateConfigs(Map.of(
				ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class,
				ErrorHandlingDeserializer.KEY_DESERIALIZER_CLASS, StringDeserializer.class,
				ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, StringDeserializer.class));
	}

	private static String applicationName(Environment environment) {
		return environment.getProperty("spring.application.name", "application");
	}

}
