package com.example.shop.notification.live;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.testsupport.KafkaSender;
import com.example.shop.notification.NotificationServiceApplication;
import com.example.shop.notification.orderevents.OrderEventsProperties;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.TokenEndpointStandIn;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas at once, as two application contexts in this JVM on the same database and topic, each with its
 * own feed consumer group: a client on either replica gets every change, whichever replica it connected to, and
 * a client connecting to a replica that started after the order's last event is told the status from the shared
 * projection. No sticky sessions needed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
// RabbitMQ too, though the live feed does not use it: the context declares the email queues, and without a
// vhost of its own it would declare them (with the tests' short delays) in the shared "/" vhost.
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class LiveOrderStatusTwoReplicasTests {

	/** The customer whose orders these tests watch. */
	static final UUID CUSTOMER = UUID.randomUUID();

	static final StandInOrderService orderService = startOrderService();

	static final TokenEndpointStandIn realm = startRealm();

	@DynamicPropertySource
	static void orderServiceInstance(DynamicPropertyRegistry registry) {
		registry.add("spring.cloud.discovery.client.simple.instances.order-service[0].uri", orderService::uri);
		registry.add("spring.security.oauth2.client.provider.shop.token-uri", realm::tokenUri);
	}

	@Autowired
	ConfigurableApplicationContext replicaA;

	@Autowired
	Environment environment;

	@Autowired
	OrderEventsProperties properties;

	ConfigurableApplicationContext replicaB;

	KafkaSender sender;

	final StandardWebSocketClient webSockets = new StandardWebSocketClient();

	final List<StatusClient> opened = new ArrayList<>();

	@BeforeAll
	void startSecondReplica() throws Exception {
		this.sender = new KafkaSender(this.environment.getRequiredProperty("spring.kafka.bootstrap-servers"));
		// Command-line arguments, so they win over application.yml (as the test's own properties do for A):
		// the same database, brokers (RabbitMQ's virtual host too) and namespace (topic); the feed's group is random per replica by default.
		List<String> same = new ArrayList<>();
		for (String name : List.of("test.namespace", "spring.datasource.url", "spring.datasource.username",
				"spring.datasource.password", "spring.kafka.bootstrap-servers", "spring.rabbitmq.host",
				"spring.rabbitmq.port", "spring.rabbitmq.username", "spring.rabbitmq.password",
				"spring.rabbitmq.virtual-host", "shop.security.issuer-uri", "shop.security.jwk-set-uri",
				"spring.security.oauth2.client.provider.shop.token-uri")) {
			same.add("--" + name + "=" + this.environment.getRequiredProperty(name));
		}
		same.add("--spring.cloud.discovery.client.simple.instances.order-service[0].uri=" + orderService.uri());
		same.add("--server.port=0");
		same.add("--management.server.port=0");
		this.replicaB = new SpringApplicationBuilder(NotificationServiceApplication.class).profiles("test")
			.run(same.toArray(String[]::new));
		assertThat(this.replicaB.getEnvironment().getProperty("shop.notification.live.feed-group-id"))
			.isNotEqualTo(this.replicaA.getEnvironment().getProperty("shop.notification.live.feed-group-id"));
		awaitBothFeedsLive();
	}

	@AfterEach
	void closeClients() throws Exception {
		for (StatusClient client : this.opened) {
			client.close();
		}
		this.opened.clear();
	}

	@AfterAll
	void stopSecondReplica() {
		if (this.replicaB != null) {
			this.replicaB.close();
		}
		this.sender.close();
		orderService.close();
		realm.close();
	}

	@Test
	void clientsOnEitherReplicaGetEveryChangeOfTheirOrder() throws Exception {
		UUID order = UUID.randomUUID();
		Instant placed = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		orderService.answer(order, new StandInOrderService.Order("PENDING", null, placed.toString(), CUSTOMER));
		StatusClient onA = connect(this.replicaA, order);
		StatusClient onB = connect(this.replicaB, order);
		assertThat(onA.next().get("status").asString()).isEqualTo("PENDING");
		assertThat(onB.next().get("status").asString()).isEqualTo("PENDING");

		publish(order, "OrderStatusChanged", "AWAITING_PAYMENT", null, placed.plusSeconds(1));
		publish(order, "OrderCancelled", "CANCELLED", "OUT_OF_STOCK", placed.plusSeconds(2));

		for (StatusClient client : List.of(onA, onB)) {
			assertThat(client.next().get("status").asString()).isEqualTo("AWAITING_PAYMENT");
			JsonNode cancelled = client.next();
			assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
			assertThat(cancelled.get("cancellationReason").asString()).isEqualTo("OUT_OF_STOCK");
			client.assertNothingFor(Duration.ofMillis(300));
		}
		// Both replicas wrote the same row; one row, the latest status.
		assertThat(this.replicaB.getBean(OrderStatusProjection.class).find(order)).get()
			.extracting(OrderStatusUpdate::status)
			.isEqualTo(OrderStatus.CANCELLED);
	}

	@Test
	void aClientOfTheOtherReplicaIsToldTheStatusFromTheSharedProjection() throws Exception {
		UUID order = UUID.randomUUID();
		Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		int callsBefore = orderService.calls();
		publish(order, "OrderStatusChanged", "CONFIRMING", null, at);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.replicaA.getBean(OrderStatusProjection.class).find(order).isPresent());

		StatusClient onB = connect(this.replicaB, order);

		JsonNode current = onB.next();
		assertThat(current.get("status").asString()).isEqualTo("CONFIRMING");
		assertThat(current.get("at").asString()).isEqualTo(at.toString());
		assertThat(orderService.calls()).isEqualTo(callsBefore);
	}

	/**
	 * Each feed starts at the end of the topic once it has its partitions. A client on each replica watches a
	 * probe order; probe events are published until both have seen one.
	 */
	private void awaitBothFeedsLive() throws Exception {
		UUID probe = UUID.randomUUID();
		Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		orderService.answer(probe, new StandInOrderService.Order("PENDING", null, at.toString(), CUSTOMER));
		StatusClient onA = connect(this.replicaA, probe);
		StatusClient onB = connect(this.replicaB, probe);
		onA.next();
		onB.next();
		boolean seenA = false;
		boolean seenB = false;
		Instant deadline = Instant.now().plusSeconds(60);
		while (!(seenA && seenB) && Instant.now().isBefore(deadline)) {
			at = at.plusSeconds(1);
			publish(probe, "OrderStatusChanged", "AWAITING_PAYMENT", null, at);
			seenA = seenA || onA.poll(Duration.ofMillis(300)) != null;
			seenB = seenB || onB.poll(Duration.ofMillis(300)) != null;
		}
		assertThat(seenA && seenB).as("both replicas' feeds started within 60 s").isTrue();
		closeClients();
	}

	private StatusClient connect(ConfigurableApplicationContext replica, UUID order) throws Exception {
		int port = ((WebServerApplicationContext) replica).getWebServer().getPort();
		StatusClient client = StatusClient.connect(this.webSockets, "ws://127.0.0.1:" + port + "/ws/orders/" + order,
				TestTokens.issuer().customer(CUSTOMER.toString()));
		this.opened.add(client);
		return client;
	}

	private void publish(UUID order, String type, String status, String reason, Instant at) {
		MessageEnvelope event = MessageEnvelope.create(type, 1, "order-service", order.toString(),
				OrderEvents.payload(order, CUSTOMER, status, reason, at));
		this.sender.send(this.properties.orderEventsTopic(), event);
	}

	private static TokenEndpointStandIn startRealm() {
		try {
			return new TokenEndpointStandIn();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static StandInOrderService startOrderService() {
		try {
			return new StandInOrderService();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
