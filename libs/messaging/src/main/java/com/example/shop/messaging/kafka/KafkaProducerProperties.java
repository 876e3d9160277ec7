package com.example.shop.messaging.kafka;

import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;

import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Producer settings for the library's own producers (outbox relay, dead letters): the service's
 * {@code spring.kafka.producer.*} and connection, with what reliable publishing needs enforced on top.
 * <p>
 * Own producers, not the service's {@code KafkaTemplate}: the service may make its template transactional or
 * give it other serializers, and registering a template or producer factory bean here would make Spring
 * Boot's own back off. TLS through an SSL bundle is not carried over (the platform uses none).
 */
final class KafkaProducerProperties {

	private KafkaProducerProperties() {
	}

	static Map<String, Object> reliable(KafkaProperties properties, KafkaConnectionDetails connection,
			String clientId) {
		Map<String, Object> producer = properties.buildProducerProperties();
		KafkaConnectionDetails.Configuration details = connection.getProducer();
		producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, details.getBootstrapServers());
		if (details.getSecurityProtocol() != null) {
			producer.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, details.getSecurityProtocol());
		}
		// Each message is sent on its own and waited for; a transactional id would demand a transaction.
		producer.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		// Acknowledged by every in-sync replica, and no duplicates from the producer's own retries.
		producer.put(ProducerConfig.ACKS_CONFIG, "all");
		producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		producer.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
		return producer;
	}

}
