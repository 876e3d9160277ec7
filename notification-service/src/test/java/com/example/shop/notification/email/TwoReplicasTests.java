package com.example.shop.notification.email;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.proto.notification.messages.v1.SendEmail;
import com.example.shop.notification.NotificationServiceApplication;
import com.example.shop.notification.NotificationRepository;
import com.example.shop.notification.NotificationStatus;
import com.example.shop.notification.NotificationType;
import com.example.shop.notification.orderevents.OrderEventsProperties;
import com.example.shop.notification.support.EmailQueueStandIn;
import com.example.shop.notification.support.MailServer;
import com.example.shop.notification.support.OrderServiceStandIn;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of notification-service (this test's context and a second application started beside it) on
 * one database, one Kafka consumer group and one RabbitMQ queue, one email consumer each: 20 orders' events,
 * each published twice, are shared between them and every order gets exactly one email; two copies of one
 * delivery, one on each replica, send one email.
 */
@SpringBootTest(properties = TwoReplicasTests.ONE_CONSUMER)
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
@Timeout(120)
class TwoReplicasTests {

	static final String ONE_CONSUMER = "spring.rabbitmq.listener.simple.concurrency=1";

	static final MailServer mail = MailServer.start();

	private static ConfigurableApplicationContext secondReplica;

	@DynamicPropertySource
	static void smtp(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.port", mail::port);
	}

	@AfterAll
	static void stop() {
		if (secondReplica != null) {
			secondReplica.close();
			secondReplica = null;
		}
		mail.close();
	}

	@Autowired
	Environment environment;

	@Autowired
	AmqpAdmin admin;

	@Autowired
	ConnectionFactory connectionFactory;

	@Autowired
	NotificationRepository notifications;

	@Autowired
	OrderEventsProperties topics;

	@Autowired
	MeterRegistry firstReplicaMeters;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	OrderServiceStandIn orderService;

	@Autowired
	RestTestClient adminApi;

	EmailQueueStandIn operator;

	@BeforeEach
	void setUp() {
		if (secondReplica == null) {
			secondReplica = startSecondReplica();
		}
		this.orderService = new OrderServiceStandIn(this.bootstrapServers, this.topics.orderEventsTopic());
		this.operator = new EmailQueueStandIn(this.connectionFactory, this.adminApi);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.admin.getQueueInfo(EmailQueue.QUEUE).getConsumerCount() == 2);
	}

	@AfterEach
	void tearDown() {
		this.orderService.close();
	}

	@Test
	void everyOrderGetsExactlyOneEmailWhicheverReplicaHandlesIt() {
		double firstBefore = sent(this.firstReplicaMeters);
		double secondBefore = sent(secondReplica.getBean(MeterRegistry.class));
		List<String> customers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String customer = "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
			customers.add(customer);
			MessageEnvelope event = this.orderService.confirmed(UUID.randomUUID(), customer);
			this.orderService.send(event);
		}

		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> customers.stream().allMatch((customer) -> mail.to(customer).size() == 1));
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(5))
			.until(() -> customers.stream().allMatch((customer) -> mail.to(customer).size() == 1));
		double first = sent(this.firstReplicaMeters) - firstBefore;
		double second = sent(secondReplica.getBean(MeterRegistry.class)) - secondBefore;
		assertThat(first + second).isEqualTo(20);
		assertThat(first).as("emails the first replica sent").isPositive();
		assertThat(second).as("emails the second replica sent").isPositive();
	}

	@Test
	void twoCopiesOfOneDeliveryOnBothReplicasSendOneEmail() {
		UUID orderId = UUID.randomUUID();
		String customer = "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		UUID id = this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CONFIRMED,
				OrderServiceStandIn.order(orderId, customer, "CONFIRMED", null), Instant.now())
			.orElseThrow();
		MessageEnvelope sendEmail = MessageEnvelope.of("notification-service", orderId.toString(),
				SendEmail.newBuilder().setNotificationId(id.toString()).build());

		this.operator.send(sendEmail);
		this.operator.send(sendEmail);

		mail.awaitOne(customer);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> mail.to(customer).size() == 1);
		assertThat(this.notifications.find(id).orElseThrow().status()).isEqualTo(NotificationStatus.SENT);
		assertThat(this.notifications.find(id).orElseThrow().attempts()).isEqualTo(1);
	}

	/** The same application on the same database, topic, consumer group and virtual host, without a web server. */
	private ConfigurableApplicationContext startSecondReplica() {
		List<String> shared = List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password",
				"spring.rabbitmq.host", "spring.rabbitmq.port", "spring.rabbitmq.username", "spring.rabbitmq.password",
				"spring.rabbitmq.virtual-host", "spring.kafka.bootstrap-servers", "test.namespace", "spring.mail.port");
		List<String> arguments = new ArrayList<>();
		for (String property : shared) {
			arguments.add("--" + property + "=" + this.environment.getProperty(property, ""));
		}
		arguments.add("--" + ONE_CONSUMER);
		return new SpringApplicationBuilder(NotificationServiceApplication.class).profiles("test")
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new));
	}

	private static double sent(MeterRegistry registry) {
		Counter counter = registry.find("notifications.sent").tag("type", "ORDER_CONFIRMED").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
