package com.example.shop.product.availability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.shop.messaging.kafka.KafkaTopics;
import com.example.shop.messaging.testsupport.KafkaSender;
import com.example.shop.testsupport.TcpProxy;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestInfrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka is only needed for the available flag: with the broker unreachable from before startup, the service
 * starts without waiting long for it, is ready and serves the catalog; the stock-change consumer keeps
 * reconnecting in the background and applies the change waiting on the topic once Kafka is back. The service
 * reaches Kafka through a proxy that starts closed; the test talks to the real broker directly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA })
@Timeout(120)
class KafkaOutageTests {

	private static final Logger log = LoggerFactory.getLogger(KafkaOutageTests.class);

	static final String REAL_BOOTSTRAP = TestInfrastructure.kafka().bootstrapServers();

	static final TcpProxy KAFKA = TcpProxy.to(REAL_BOOTSTRAP.substring(0, REAL_BOOTSTRAP.lastIndexOf(':')),
			Integer.parseInt(REAL_BOOTSTRAP.substring(REAL_BOOTSTRAP.lastIndexOf(':') + 1)));

	/** Created by the test on the real broker: the service's own declaration cannot reach it at startup. */
	static final String TOPIC = "inventory.stock-changes.outage-" + UUID.randomUUID();

	static final UUID PRODUCT = UUID.fromString("00000000-0000-4000-8000-000000000011");

	@DynamicPropertySource
	static void kafkaUnreachable(DynamicPropertyRegistry registry) {
		registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + KAFKA.port());
		registry.add("product.messaging.stock-changes-topic", () -> TOPIC);
	}

	@AfterAll
	static void closeProxy() {
		KAFKA.close();
	}

	@Autowired
	RestTestClient client;

	/** The actuator listens on the management port only, never on the port the API is served on. */
	@LocalManagementPort
	int managementPort;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationContext context;

	@Autowired
	ReadyAt readyAt;

	@Autowired
	KafkaListenerEndpointRegistry listeners;

	@Test
	void withKafkaDownTheServiceStartsIsReadyAndServesAndCatchesUpWhenKafkaIsBack() throws Exception {
		long startupMillis = this.readyAt.millis - this.context.getStartupDate();
		log.info("Started with Kafka unreachable in {} ms", startupMillis);
		// Kafka's admin would wait 30 s for a broker and 10 s more to close; spring.kafka.admin.* cut that to 5 s + 1 s.
		assertThat(startupMillis).as("startup time with Kafka down, ms").isLessThan(25_000);

		management().get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		this.client.get()
			.uri("/api/products/{id}", PRODUCT)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.available")
			.isEqualTo(true);
		assertThat(this.listeners.getListenerContainer("stock-changes").isRunning())
			.as("the consumer keeps trying in the background")
			.isTrue();

		// A change is waiting on the topic while the service cannot reach Kafka ...
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, REAL_BOOTSTRAP))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1),
					new NewTopic(KafkaTopics.deadLetterTopic(TOPIC), 3, (short) 1))).all().get();
		}
		try (KafkaSender sender = new KafkaSender(REAL_BOOTSTRAP)) {
			sender.send(TOPIC, ProductAvailabilityKafkaTests.stockChanged(PRODUCT, 4, 4, 3));
		}
		Thread.sleep(500);
		assertThat(available()).isTrue();

		// ... and is applied once Kafka is reachable again, without a restart.
		KAFKA.open();
		await().atMost(Duration.ofSeconds(60)).until(() -> !available());
	}

	private boolean available() {
		return this.jdbc.sql("SELECT available FROM product WHERE id = :id")
			.param("id", PRODUCT)
			.query(Boolean.class)
			.single();
	}

	/** When the application was ready to serve. */
	static class ReadyAt implements ApplicationListener<ApplicationReadyEvent> {

		volatile long millis;

		@Override
		public void onApplicationEvent(ApplicationReadyEvent event) {
			this.millis = System.currentTimeMillis();
		}

	}

	@TestConfiguration
	static class StartupTiming {

		@Bean
		ReadyAt readyAt() {
			return new ReadyAt();
		}

	}


	private RestTestClient management() {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.managementPort).build();
	}

}
