package com.example.shop.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Kafka broker per test JVM: the official Apache Kafka image under Testcontainers, or
 * spring-kafka-test's KRaft broker inside the test JVM where there is no Docker (and no Kafka package).
 * <p>
 * Classes share the broker and isolate themselves by suffixing topic names with {@code test.namespace}.
 */
public final class KafkaBroker {

	private final String bootstrapServers;

	private final Runnable stop;

	private KafkaBroker(String bootstrapServers, Runnable stop) {
		this.bootstrapServers = bootstrapServers;
		this.stop = stop;
	}

	static KafkaBroker inJvm() {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
		// One broker: internal topics cannot have more replicas than that, or transactions never start.
		broker.brokerProperty("offsets.topic.replication.factor", "1");
		broker.brokerProperty("transaction.state.log.replication.factor", "1");
		broker.brokerProperty("transaction.state.log.min.isr", "1");
		// Services declare the topics they own, as on the real platform; a typo must fail, not create a topic.
		broker.brokerProperty("auto.create.topics.enable", "false");
		broker.afterPropertiesSet();
		return new KafkaBroker(broker.getBrokersAsString(), broker::destroy);
	}

	@SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
	static KafkaBroker container() {
		KafkaContainer container = new KafkaContainer("apache/kafka-native:4.1.2")
			.withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
		container.start();
		return new KafkaBroker(container.getBootstrapServers(), () -> {
		});
	}

	public String bootstrapServers() {
		return bootstrapServers;
	}

	void stop() {
		stop.run();
	}

}
