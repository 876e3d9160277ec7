package com.example.shop.notification.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The listener container factory of the live status feed: Boot's settings, but an error handler that logs and
 * skips instead of libs/messaging's retry-then-dead-letter. The feed is a per-replica view; each replica
 * dead-lettering its own copy of a bad record would flood {@code orders.events.DLT}; the topic's durable
 * consumers (one group for all replicas) dead-letter it once. Records that cannot even be deserialized
 * reach this handler (the ErrorHandlingDeserializer hands them over as failures).
 */
@Configuration(proxyBeanMethods = false)
class LiveKafkaConfiguration {

	static final String LISTENER_CONTAINER_FACTORY = "liveStatusListenerContainerFactory";

	private static final Logger log = LoggerFactory.getLogger(LiveKafkaConfiguration.class);

	@Bean(LISTENER_CONTAINER_FACTORY)
	ConcurrentKafkaListenerContainerFactory<Object, Object> liveStatusListenerContainerFactory(
			ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<Object, Object> consumers) {
		ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
		configurer.configure(factory, consumers);
		// No retries: the feed's own failures are caught in the listener; what gets here fails the same every time.
		factory.setCommonErrorHandler(new DefaultErrorHandler((record, ex) -> log.warn(
				"Skipped record {}-{}@{} of the live status feed: {}", record.topic(), record.partition(),
				record.offset(), ex.getMessage()), new FixedBackOff(0, 0)));
		return factory;
	}

}
