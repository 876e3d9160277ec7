package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.KafkaTestConsumer;
import com.example.shop.messaging.MessagingProperties;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.inbox.Inbox;
import com.example.shop.messaging.kafka.KafkaOutboxPublisher;
import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.messaging.rabbit.RabbitOutboxPublisher;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TcpProxy;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch over two brokers, one of them down (RabbitMQ behind a proxy that never opens): the first RabbitMQ
 * row fails at once and the batch's other RabbitMQ rows are not even tried, and neither is any later row of
 * their orders, even one for Kafka, which is up: it must not overtake the row before it. Orders wholly on
 * Kafka go out.
 */
@SpringBootTest(classes = UnavailableBrokerInABatchTests.App.class,
		properties = "shop.messaging.outbox.relay-enabled=false")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class UnavailableBrokerInABatchTests {

	static final TcpProxy RABBIT_DOWN = TcpProxy.to("127.0.0.1", 5672);

	@DynamicPropertySource
	static void rabbitDown(DynamicPropertyRegistry registry) {
		registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
		registry.add("spring.rabbitmq.port", RABBIT_DOWN::port);
	}

	@AfterAll
	static void closeProxy() {
		RABBIT_DOWN.close();
	}

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	KafkaOutboxPublisher kafka;

	@Autowired
	RabbitOutboxPublisher rabbit;

	@Autowired
	Inbox inbox;

	@Autowired
	MessagingProperties properties;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Value("unavailable-${test.namespace}")
	String topic;

	@Test
	void theRestOfTheDownBrokersRowsAndOfTheirOrdersWaitWhileOrdersOnTheOtherBrokerGoOut() {
		String mixed = UUID.randomUUID().toString();
		String rabbitOnly = UUID.randomUUID().toString();
		String kafkaOnly = UUID.randomUUID().toString();
		MessageEnvelope mixedFirst = TestMessages.envelope(mixed, "ok", 0);
		MessageEnvelope mixedSecond = TestMessages.envelope(mixed, "ok", 1);
		MessageEnvelope rabbitOnlyFirst = TestMessages.envelope(rabbitOnly, "ok", 0);
		MessageEnvelope kafkaOnlyFirst = TestMessages.envelope(kafkaOnly, "ok", 0);
		MessageEnvelope kafkaOnlySecond = TestMessages.envelope(kafkaOnly, "ok", 1);
		OutboxRepository repository = new OutboxRepository(this.jdbc);
		this.transaction.executeWithoutResult((status) -> List.of(
				OutgoingMessage.rabbit("anywhere", "any.key", mixedFirst), OutgoingMessage.kafka(this.topic, mixedSecond),
				OutgoingMessage.rabbit("anywhere", "any.key", rabbitOnlyFirst),
				OutgoingMessage.kafka(this.topic, kafkaOnlyFirst), OutgoingMessage.kafka(this.topic, kafkaOnlySecond))
			.forEach(repository::insert));
		MessagingProperties.Outbox settings = this.properties.outbox();
		OutboxRelay relay = new OutboxRelay("unavailable", repository, this.transaction, List.of(this.kafka, this.rabbit),
				settings, new OutboxMetrics(repository, new SimpleMeterRegistry(), "unavailable"),
				new OutboxHousekeeping(repository, this.inbox, settings.retention(), Duration.ofDays(30)));

		assertThat(relay.relayOneBatch()).isEqualTo(5);

		assertThat(state(mixedFirst.id())).startsWith("unsent after 1 attempt: RabbitMQ unreachable");
		assertThat(state(rabbitOnlyFirst.id())).as("not tried: RabbitMQ is down").isEqualTo("unsent after 0 attempts");
		assertThat(state(mixedSecond.id())).as("not tried: behind its order's failed row")
			.isEqualTo("unsent after 0 attempts");
		assertThat(state(kafkaOnlyFirst.id())).isEqualTo("sent after 1 attempt");
		assertThat(state(kafkaOnlySecond.id())).isEqualTo("sent after 1 attempt");
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(this.bootstrapServers, this.topic)) {
			consumer.pollUntil(2, Duration.ofSeconds(20));
			assertThat(OutboxKafkaTests.ids(consumer.pollFor(Duration.ofMillis(500))))
				.containsExactly(kafkaOnlyFirst.id().toString(), kafkaOnlySecond.id().toString());
		}
	}

	private String state(UUID id) {
		return OutboxRowState.of(this.jdbc, id);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		KafkaAdmin.NewTopics unavailableTopics(@Value("unavailable-${test.namespace}") String topic) {
			return KafkaTopics.withDeadLetters(1, topic);
		}

	}

}
