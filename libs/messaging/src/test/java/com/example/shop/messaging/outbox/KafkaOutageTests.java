package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.KafkaTestConsumer;
import com.example.shop.testsupport.TcpProxy;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestInfrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka unreachable, or without the topic: the message stays unsent, is retried with backoff, and is
 * published once Kafka can take it. The service reaches Kafka through a proxy that starts closed; the test
 * reads the real broker directly.
 * <p>
 * Ordered: a Kafka producer uses the bootstrap address only until it has learned the broker's own address,
 * so the outage must come before the first successful publish.
 */
@SpringBootTest(classes = KafkaOutageTests.App.class)
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaOutageTests {

	static final String REAL_BOOTSTRAP = TestInfrastructure.kafka().bootstrapServers();

	static final TcpProxy KAFKA = TcpProxy.to(REAL_BOOTSTRAP.substring(0, REAL_BOOTSTRAP.lastIndexOf(':')),
			Integer.parseInt(REAL_BOOTSTRAP.substring(REAL_BOOTSTRAP.lastIndexOf(':') + 1)));

	@DynamicPropertySource
	static void kafkaThroughTheProxy(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + KAFKA.port());
	}

	@AfterAll
	static void closeProxy() {
		KAFKA.close();
	}

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Value("${test.namespace}")
	String namespace;

	@Test
	@Order(1)
	void aMessageForAnUnreachableKafkaStaysUnsentIsRetriedWithBackoffAndIsPublishedWhenKafkaIsBack() {
		String topic = createTopic("outage-" + this.namespace);
		MessageEnvelope envelope = TestMessages.envelope("ok");

		this.transaction.executeWithoutResult((status) -> this.outbox.enqueue(OutgoingMessage.kafka(topic, envelope)));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(row(envelope.id()).attempts()).isGreaterThanOrEqualTo(2));
		OutboxRow failing = row(envelope.id());
		assertThat(failing.sent()).isFalse();
		assertThat(failing.lastError()).startsWith("Kafka did not take it").containsIgnoringCase("timeout");
		assertThat(failing.waitingForRetry()).as("available_at pushed into the future").isTrue();

		KAFKA.open();

		await().atMost(Duration.ofSeconds(30)).until(() -> row(envelope.id()).sent());
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(REAL_BOOTSTRAP, topic)) {
			assertThat(OutboxKafkaTests.ids(consumer.pollFor(Duration.ofSeconds(2)))).containsOnlyOnce(envelope.id().toString());
		}
	}

	@Test
	@Order(2)
	void aMessageForAMissingTopicStaysUnsentUntilTheTopicExists() {
		KAFKA.open();
		String topic = "created-late-" + this.namespace;
		MessageEnvelope envelope = TestMessages.envelope("ok");

		this.transaction.executeWithoutResult((status) -> this.outbox.enqueue(OutgoingMessage.kafka(topic, envelope)));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(row(envelope.id()).attempts()).isGreaterThanOrEqualTo(1));
		assertThat(row(envelope.id()).sent()).isFalse();
		// Depending on timing the producer reports the topic unknown, or its metadata missing.
		assertThat(row(envelope.id()).lastError()).startsWith("Kafka did not take it").containsIgnoringCase("topic");

		createTopic(topic);

		await().atMost(Duration.ofSeconds(30)).until(() -> row(envelope.id()).sent());
		try (KafkaTestConsumer consumer = new KafkaTestConsumer(REAL_BOOTSTRAP, topic)) {
			assertThat(OutboxKafkaTests.ids(consumer.pollFor(Duration.ofSeconds(1)))).containsExactly(envelope.id().toString());
		}
	}

	private OutboxRow row(UUID id) {
		return this.jdbc.sql("""
				SELECT attempts, last_error, sent_at IS NOT NULL AS sent, available_at > clock_timestamp() AS waiting
				FROM outbox_message WHERE id = :id
				""")
			.param("id", id)
			.query((rs, n) -> new OutboxRow(rs.getInt("attempts"), rs.getString("last_error"), rs.getBoolean("sent"),
					rs.getBoolean("waiting")))
			.single();
	}

	private static String createTopic(String topic) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, REAL_BOOTSTRAP))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
			return topic;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	record OutboxRow(int attempts, String lastError, boolean sent, boolean waitingForRetry) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
