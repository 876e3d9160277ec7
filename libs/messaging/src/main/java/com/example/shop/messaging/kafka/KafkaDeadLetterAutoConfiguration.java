package com.example.shop.messaging.kafka;

import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.deadletter.DeadLetterAutoConfiguration;
import com.example.shop.messaging.deadletter.DeadLetterRepository;

/**
 * Kafka dead letters into the {@code dead_letter} table ({@link KafkaDeadLetterIngester}), in every service
 * with Kafka listeners and a database.
 */
@AutoConfiguration(after = { DeadLetterAutoConfiguration.class, KafkaMessagingAutoConfiguration.class },
		afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({ KafkaTemplate.class, KafkaProperties.class })
@ConditionalOnBean({ DeadLetterRepository.class, KafkaConnectionDetails.class })
@ConditionalOnBooleanProperty(name = "shop.messaging.dead-letters.ingest-enabled", matchIfMissing = true)
@EnableConfigurationProperties(MessagingProperties.class)
public class KafkaDeadLetterAutoConfiguration {

	@Bean
	KafkaDeadLetterIngester kafkaDeadLetterIngester(ObjectProvider<KafkaListenerEndpointRegistry> registry,
			KafkaProperties kafka, KafkaConnectionDetails connection, DeadLetterRepository repository,
			MessagingProperties messaging, Environment environment) {
		String application = environment.getProperty("spring.application.name", "application");
		return new KafkaDeadLetterIngester(registry.getIfAvailable(KafkaListenerEndpointRegistry::new),
				new DefaultKafkaConsumerFactory<>(consumerProperties(kafka, connection), new ByteArrayDeserializer(),
						new ByteArrayDeserializer()),
				repository, application, messaging.deadLetters());
	}

	/**
	 * The service's {@code spring.kafka.consumer.*} and connection, with bytes in (a dead letter may not be
	 * text at all) and {@code earliest}, so dead letters written before this group first existed are read.
	 */
	private static Map<String, Object> consumerProperties(KafkaProperties kafka, KafkaConnectionDetails connection) {
		Map<String, Object> consumer = kafka.buildConsumerProperties();
		KafkaConnectionDetails.Configuration details = connection.getConsumer();
		consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, details.getBootstrapServers());
		if (details.getSecurityProtocol() != null) {
			consumer.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, details.getSecurityProtocol());
		}
		consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
		consumer.remove(ConsumerConfig.CLIENT_ID_CONFIG);
		consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		return consumer;
	}

}
