package com.example.shop.notification.email;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.proto.notification.messages.v1.SendEmail;
import com.example.shop.notification.Notification;
import com.example.shop.notification.NotificationRepository;
import com.example.shop.notification.NotificationStatus;
import com.example.shop.notification.NotificationType;
import com.example.shop.notification.orderevents.OrderEventsProperties;
import com.example.shop.notification.support.EmailQueueStandIn;
import com.example.shop.notification.support.MailServer.Mail;
import com.example.shop.notification.support.MailServer;
import com.example.shop.notification.support.OrderServiceStandIn;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
 * Order events to emails, end to end through the real Kafka, PostgreSQL, RabbitMQ and an SMTP server
 * (GreenMail): a confirmed and a cancelled order each get exactly one email that reads right, in both parts;
 * a declined payment gets its own wording; a refunded order gets the refund email with the amount; an event
 * delivered twice still gets one email; events that need no email get none; an address that is not one is parked in {@code notification.email.dlq} at once.
 */
@SpringBootTest
@AutoConfigureRestTestClient
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ, Infrastructure.TOKENS })
@Timeout(120)
class OrderEmailsTests {

	static final MailServer mail = MailServer.start();

	@DynamicPropertySource
	static void smtp(DynamicPropertyRegistry registry) {
		registry.add("spring.mail.port", mail::port);
	}

	@AfterAll
	static void stopSmtp() {
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

	@Autowired
	MeterRegistry meters;

	OrderServiceStandIn orderService;

	@Autowired
	RestTestClient admin;

	EmailQueueStandIn operator;

	@BeforeEach
	void connect() {
		this.orderService = new OrderServiceStandIn(this.bootstrapServers, this.topics.orderEventsTopic());
		this.operator = new EmailQueueStandIn(this.connectionFactory, this.admin);
	}

	@AfterEach
	void disconnect() {
		this.orderService.close();
	}

	@Test
	void aConfirmedOrderGetsOneConfirmationEmailWithBothParts() {
		UUID orderId = UUID.randomUUID();
		String customer = customer();
		double sentBefore = count("notifications.sent", "ORDER_CONFIRMED");

		MessageEnvelope event = this.orderService.confirmed(orderId, customer);

		Mail email = mail.awaitOne(customer);
		Notification notification = awaitStatus(orderId, NotificationStatus.SENT);
		assertThat(email.subject()).isEqualTo("Your order " + orderId.toString().substring(0, 8) + " is confirmed");
		assertThat(email.to()).isEqualTo(customer);
		assertThat(email.from()).isEqualTo("Shop <orders@shop.example>");
		assertThat(email.messageId()).as("deterministic, by notification")
			.isEqualTo("<" + notification.id() + "@shop.example>");
		assertThat(email.contentType()).startsWith("multipart/");
		assertThat(email.text()).as("plain-text part")
			.contains("your order is confirmed")
			.contains(orderId.toString())
			.contains("2 x Enamel mug (MUG-001) at 19.95 EUR: 39.90 EUR")
			.contains("Total: 59.90 EUR")
			.doesNotContain("<");
		assertThat(email.html()).as("HTML part")
			.contains("your order is confirmed")
			.contains(orderId.toString())
			.contains("<table")
			.contains("Green tea &amp; lemon")
			.contains("59.90 EUR");
		assertThat(notification.type()).isEqualTo(NotificationType.ORDER_CONFIRMED);
		assertThat(notification.sourceEventId()).isEqualTo(event.id());
		assertThat(notification.recipient()).isEqualTo(customer);
		assertThat(notification.attempts()).isEqualTo(1);
		assertThat(notification.sentAt()).isBeforeOrEqualTo(Instant.now());
		assertThat(count("notifications.sent", "ORDER_CONFIRMED")).isEqualTo(sentBefore + 1);
		assertThat(this.meters.find("notifications.smtp.send").tag("outcome", "sent").timer()).isNotNull();
		assertStaysAt(customer, 1);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "OUT_OF_STOCK, some of the items are out of stock", "TIMEOUT, we could not complete it in time",
			"CUSTOMER_REQUEST, you asked us to cancel it" })
	void aCancelledOrderGetsOneCancellationEmailWordedByItsReason(String reason, String wording) {
		UUID orderId = UUID.randomUUID();
		String customer = customer();

		this.orderService.cancelled(orderId, customer, reason);

		Mail email = mail.awaitOne(customer);
		assertThat(email.subject()).isEqualTo("Your order " + orderId.toString().substring(0, 8) + " was cancelled");
		assertThat(email.text()).contains("because " + wording + ".").contains(orderId.toString()).contains("59.90 EUR");
		assertThat(email.html()).contains(wording).contains(orderId.toString()).contains("59.90 EUR");
		assertThat(awaitStatus(orderId, NotificationStatus.SENT).type()).isEqualTo(NotificationType.ORDER_CANCELLED);
		assertStaysAt(customer, 1);
	}

	@Test
	void aDeclinedPaymentGetsThePaymentDeclinedEmail() {
		UUID orderId = UUID.randomUUID();
		String customer = customer();

		this.orderService.cancelled(orderId, customer, "PAYMENT_DECLINED");

		Mail email = mail.awaitOne(customer);
		assertThat(email.subject()).isEqualTo("Payment declined for your order " + orderId.toString().substring(0, 8));
		assertThat(email.text()).contains("declined the payment").contains("another card").contains("59.90 EUR");
		assertThat(email.html()).contains("Your payment was declined").contains(orderId.toString());
		assertThat(awaitStatus(orderId, NotificationStatus.SENT).type()).isEqualTo(NotificationType.PAYMENT_DECLINED);
	}

	/**
	 * A confirmed order cancelled afterwards, as order-service publishes it: OrderConfirmed, OrderStatusChanged
	 * into REFUNDING (no email: a step), OrderCancelled with reason REFUNDED, and that event delivered again.
	 */
	@Test
	void aRefundedOrderGetsOneRefundEmailWithTheAmountAndADuplicateSendsNoMore() {
		UUID orderId = UUID.randomUUID();
		String customer = customer();
		String shortId = orderId.toString().substring(0, 8);
		double sentBefore = count("notifications.sent", "ORDER_REFUNDED");
		this.orderService.confirmed(orderId, customer);
		mail.awaitOne(customer);

		this.orderService.publish("OrderStatusChanged",
				OrderServiceStandIn.order(orderId, customer, "REFUNDING", "REFUNDED"));
		MessageEnvelope refunded = this.orderService.cancelled(orderId, customer, "REFUNDED");

		List<Mail> emails = await().atMost(Duration.ofSeconds(30))
			.until(() -> mail.to(customer), (mails) -> mails.size() >= 2);
		Mail email = emails.stream().filter((sent) -> !sent.subject().endsWith("is confirmed")).findFirst().orElseThrow();
		assertThat(email.subject()).isEqualTo("Your order " + shortId + " was cancelled and refunded");
		assertThat(email.text()).as("plain-text part")
			.contains("We cancelled your order " + shortId + " and refunded your payment of 59.90 EUR.")
			.contains("2 x Enamel mug (MUG-001) at 19.95 EUR: 39.90 EUR")
			.contains("1 x Green tea & lemon (TEA-042) at 20.00 EUR: 20.00 EUR")
			.contains("Total: 59.90 EUR")
			.contains(orderId.toString())
			.doesNotContain("not been charged")
			.doesNotContain("<");
		assertThat(email.html()).as("HTML part")
			.contains("Your order was cancelled and refunded")
			.contains("refunded your")
			.contains("<strong>59.90 EUR</strong>")
			.contains("Green tea &amp; lemon")
			.contains(orderId.toString());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> count("notifications.sent", "ORDER_REFUNDED"), (sent) -> sent == sentBefore + 1);

		double duplicatesBefore = duplicates();
		this.orderService.send(refunded);
		await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() > duplicatesBefore);

		assertStaysAt(customer, 2);
		assertThat(this.notifications.findByOrderId(orderId)).extracting(Notification::type)
			.containsExactly(NotificationType.ORDER_CONFIRMED, NotificationType.ORDER_REFUNDED);
		assertThat(this.notifications.findByOrderId(orderId)).extracting(Notification::status)
			.containsOnly(NotificationStatus.SENT);
		assertThat(count("notifications.sent", "ORDER_REFUNDED")).isEqualTo(sentBefore + 1);
	}

	@Test
	void theSameEventDeliveredTwiceSendsOneEmail() {
		UUID orderId = UUID.randomUUID();
		String customer = customer();

		MessageEnvelope event = this.orderService.confirmed(orderId, customer);
		this.orderService.send(event);
		mail.awaitOne(customer);
		awaitStatus(orderId, NotificationStatus.SENT);
		// A later event of the same order is processed, so both copies of the first one were consumed by then.
		this.orderService.cancelled(orderId, customer, "CUSTOMER_REQUEST");
		await().atMost(Duration.ofSeconds(30)).until(() -> mail.to(customer).size() >= 2);

		assertStaysAt(customer, 2);
		assertThat(this.notifications.findByOrderId(orderId)).extracting(Notification::type)
			.containsExactly(NotificationType.ORDER_CONFIRMED, NotificationType.ORDER_CANCELLED);
	}

	@Test
	void placedFailedAndIntermediateEventsGetNoEmail() {
		UUID orderId = UUID.randomUUID();
		String customer = customer();

		this.orderService.publish("OrderPlaced", OrderServiceStandIn.order(orderId, customer, "PENDING", null));
		this.orderService.publish("OrderStatusChanged", OrderServiceStandIn.order(orderId, customer, "PAYING", null));
		this.orderService.publish("OrderFailed", OrderServiceStandIn.order(orderId, customer, "FAILED", "TIMEOUT"));
		this.orderService.confirmed(orderId, customer);

		// Same key, same partition: the confirmation is consumed after the three before it.
		Mail email = mail.awaitOne(customer);
		assertThat(email.subject()).endsWith("is confirmed");
		assertStaysAt(customer, 1);
		assertThat(this.notifications.findByOrderId(orderId)).extracting(Notification::type)
			.containsExactly(NotificationType.ORDER_CONFIRMED);
	}

	@Test
	void anInvalidAddressIsParkedAtOnceAndTheRowFailedWithTheReason() {
		UUID orderId = UUID.randomUUID();
		double failedBefore = count("notifications.failed", "ORDER_CONFIRMED");

		this.orderService.confirmed(orderId, "not-an-address");

		Notification failed = awaitStatus(orderId, NotificationStatus.FAILED);
		JsonNode parked = this.operator.awaitParked(failed.id().toString(), Duration.ofSeconds(20));
		assertThat(parked.get("attempts").asInt()).as("never retried").isEqualTo(1);
		assertThat(parked.get("error").asString()).contains("invalid recipient address 'not-an-address'");
		assertThat(parked.get("source").asString()).isEqualTo("notification.email");
		assertThat(failed.lastError()).contains("invalid recipient address 'not-an-address'");
		assertThat(failed.attempts()).isEqualTo(1);
		assertThat(failed.sentAt()).isNull();
		assertThat(count("notifications.failed", "ORDER_CONFIRMED")).isEqualTo(failedBefore + 1);
		assertThat(mail.to("not-an-address")).isEmpty();
	}

	@Test
	void twoCopiesOfOneSendEmailAtOnceSendOneEmail() {
		UUID orderId = UUID.randomUUID();
		String customer = customer();
		UUID id = this.notifications.insertIfAbsent(UUID.randomUUID(), NotificationType.ORDER_CONFIRMED,
				OrderServiceStandIn.order(orderId, customer, "CONFIRMED", null), Instant.now())
			.orElseThrow();
		MessageEnvelope sendEmail = MessageEnvelope.of("notification-service", orderId.toString(),
				SendEmail.newBuilder().setNotificationId(id.toString()).build());

		// Two consumers per replica (concurrency 2): the copies are taken in parallel, the row lock orders them.
		this.operator.send(sendEmail);
		this.operator.send(sendEmail);

		mail.awaitOne(customer);
		assertStaysAt(customer, 1);
		Notification sent = awaitStatus(orderId, NotificationStatus.SENT);
		assertThat(sent.attempts()).as("the second copy found it SENT and did not try").isEqualTo(1);
	}

	@Test
	void aSendEmailAboutNoNotificationIsParkedAtOnce() {
		UUID unknown = UUID.randomUUID();

		this.operator.send(MessageEnvelope.of("notification-service", UUID.randomUUID().toString(),
				SendEmail.newBuilder().setNotificationId(unknown.toString()).build()));

		JsonNode parked = this.operator.awaitParked(unknown.toString(), Duration.ofSeconds(20));
		assertThat(parked.get("attempts").asInt()).as("never retried").isEqualTo(1);
		assertThat(parked.get("error").asString()).contains("no notification " + unknown);
	}

	private Notification awaitStatus(UUID orderId, NotificationStatus status) {
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> this.notifications.findByOrderId(orderId), (found) -> found.size() == 1
					&& found.getFirst().status() == status)
			.getFirst();
	}

	/** Stays at exactly {@code count} emails for a while: nothing more arrives late. */
	private static void assertStaysAt(String customer, int count) {
		await().during(Duration.ofMillis(1500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> mail.to(customer).size() == count);
	}

	private double count(String name, String type) {
		var counter = this.meters.find(name).tag("type", type).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** Order events the emails' inbox found again and skipped. */
	private double duplicates() {
		var counter = this.meters.find("inbox.duplicates").tag("consumer", "notification-service.order-emails").counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static String customer() {
		return "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
	}

}
