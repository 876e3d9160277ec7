package com.example.shop.notification.email;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.example.shop.notification.Notification;
import com.example.shop.notification.NotificationRepository;
import com.example.shop.notification.NotificationStatus;
import com.example.shop.notification.orderevents.OrderEventsProperties;
import com.example.shop.notification.support.EmailQueueStandIn;
import com.example.shop.notification.support.MailServer;
import com.example.shop.notification.support.OrderServiceStandIn;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TcpProxy;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An SMTP server that goes away, for real: the service talks to GreenMail through a TCP proxy that the test
 * closes (connections refused) and reopens. While it is away a delivery is RETRYING through the broker-side
 * tiers (300 ms, 600 ms, 1 s, 1.5 s here); when it returns in time the email is delivered exactly once; when it
 * stays away past the last tier the delivery is parked in {@code notification.email.dlq}, FAILED, and an
 * operator's replay once it is back delivers it once.
 */
@SpringBootTest
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
@Timeout(120)
class SmtpOutageTests {

	static final MailServer mail = MailServer.start();

	static final TcpProxy smtp = TcpProxy.to("127.0.0.1", mail.port());

	@DynamicPropertySource
	static void smtp(DynamicPropertyRegistry registry) {
		smtp.open();
		registry.add("spring.mail.port", smtp::port);
	}

	@AfterAll
	static void stopSmtp() {
		smtp.close();
		mail.close();
	}

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@Autowired
	OrderEventsProperties topics;

	@Autowired
	NotificationRepository notifications;

	@Autowired
	ConnectionFactory connectionFactory;

	OrderServiceStandIn orderService;

	@Autowired
	RestTestClient admin;

	EmailQueueStandIn operator;

	@BeforeEach
	void connect() {
		smtp.open();
		this.orderService = new OrderServiceStandIn(this.bootstrapServers, this.topics.orderEventsTopic());
		this.operator = new EmailQueueStandIn(this.connectionFactory, this.admin);
	}

	@AfterEach
	void disconnect() {
		this.orderService.close();
		smtp.open();
	}

	@Test
	void anEmailIsRetriedWhileTheSmtpServerIsDownAndDeliveredOnceWhenItReturns() {
		UUID orderId = UUID.randomUUID();
		String customer = customer();
		smtp.close();

		this.orderService.confirmed(orderId, customer);

		Notification retrying = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> only(orderId), (found) -> found != null && found.status() == NotificationStatus.RETRYING);
		assertThat(retrying.attempts()).isGreaterThanOrEqualTo(1);
		assertThat(retrying.lastError()).contains("SMTP delivery failed, retried later");
		assertThat(mail.to(customer)).isEmpty();

		smtp.open();

		Notification sent = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> only(orderId), (found) -> found.status() == NotificationStatus.SENT);
		assertThat(sent.attempts()).as("failed attempts, then the one that worked").isGreaterThanOrEqualTo(2);
		assertThat(sent.lastError()).isNull();
		assertThat(mail.awaitOne(customer).subject()).endsWith("is confirmed");
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> mail.to(customer).size() == 1);
		assertThat(this.operator.parked(sent.id().toString())).isEmpty();
	}

	@Test
	void anOutageLongerThanEveryTierParksTheEmailAndAReplayDeliversItOnce() {
		UUID orderId = UUID.randomUUID();
		String customer = customer();
		smtp.close();

		this.orderService.confirmed(orderId, customer);

		Notification failed = await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> only(orderId), (found) -> found != null && found.status() == NotificationStatus.FAILED);
		JsonNode parked = this.operator.awaitParked(failed.id().toString(), Duration.ofSeconds(10));
		assertThat(parked.get("attempts").asInt()).as("the first attempt and every tier").isEqualTo(5);
		assertThat(parked.get("error").asString()).startsWith(TransientEmailFailureException.class.getName());
		assertThat(failed.attempts()).as("the first attempt and one per tier").isEqualTo(5);
		assertThat(failed.lastError()).startsWith("gave up after 4 retries: SMTP delivery failed");
		assertThat(mail.to(customer)).isEmpty();

		smtp.open();
		this.operator.replay(parked);

		assertThat(mail.awaitOne(customer).subject()).endsWith("is confirmed");
		Notification sent = await().atMost(Duration.ofSeconds(10))
			.until(() -> only(orderId), (found) -> found.status() == NotificationStatus.SENT);
		assertThat(sent.sentAt()).isNotNull();

		assertThat(this.operator.parked(failed.id().toString())).as("replayed, no longer parked").isEmpty();

		// Replayed again by mistake: the notification is SENT, nothing more is sent.
		this.operator.replay(parked);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> mail.to(customer).size() == 1);
	}

	private Notification only(UUID orderId) {
		List<Notification> found = this.notifications.findByOrderId(orderId);
		return found.isEmpty() ? null : found.getFirst();
	}

	private static String customer() {
		return "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
	}

}
