package com.example.shop.notification.orderevents;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.messaging.testsupport.KafkaTopicRecorder;
import com.example.shop.notification.NotificationRepository;
import com.example.shop.notification.support.MailServer;
import com.example.shop.notification.support.OrderServiceStandIn;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.header;
import static com.example.shop.messaging.testsupport.KafkaTopicRecorder.keyed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Order events no email can be made from, through the real Kafka broker: each lands in
 * {@code orders.events.DLT} at once with a reason a person can act on, nothing is stored for it, and the valid
 * event of the same order published right after it still gets its email.
 */
@SpringBootTest
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.RABBITMQ })
@Timeout(120)
class OrderEventsDeadLetterTests {

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
	JdbcClient jdbc;

	OrderServiceStandIn orderService;

	KafkaTopicRecorder deadLetters;

	@BeforeEach
	void connect() {
		this.orderService = new OrderServiceStandIn(this.bootstrapServers, this.topics.orderEventsTopic());
		this.deadLetters = new KafkaTopicRecorder(this.bootstrapServers, this.topics.orderEventsTopic() + ".DLT");
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		this.orderService.close();
		this.deadLetters.close();
	}

	/** A record that can never become an email, and the reason its dead letter must give. */
	record Poison(String name, String body, String reason) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Arguments> poison() {
		UUID orderId = UUID.randomUUID();
		Map<String, Object> noEmail = Map.of("orderId", orderId, "status", "CONFIRMED", "total", 10, "currency", "EUR");
		return Stream.of(new Poison("not JSON", "{\"id\": 42", "message is not JSON"),
				new Poison("an unknown type", envelope("OrderShipped", 1, orderId, Map.of("orderId", orderId,
						"customerEmail", "a@example.com", "total", 10, "currency", "EUR")),
						"is not a message notification-service.order-emails reads (OrderCancelled, OrderConfirmed, OrderFailed, OrderPlaced, OrderStatusChanged)"),
				new Poison("an unknown version", envelope("OrderConfirmed", 2, orderId, Map.of("orderId", orderId,
						"customerEmail", "a@example.com", "total", 10, "currency", "EUR")),
						"version 2 is not one this service reads (1)"),
				new Poison("no customerEmail", envelope("OrderConfirmed", 1, orderId, noEmail),
						"has no customerEmail: no one to send the email to"),
				new Poison("a blank customerEmail", envelope("OrderCancelled", 1, orderId, Map.of("orderId", orderId,
						"customerEmail", "  ", "reason", "TIMEOUT", "total", 10, "currency", "EUR")),
						"has no customerEmail"),
				new Poison("a payload that does not fit", envelope("OrderConfirmed", 1, orderId,
						Map.of("orderId", orderId, "customerEmail", "a@example.com", "lines", "none")),
						"payload is not a valid OrderConfirmed"),
				new Poison("a payload about another order", envelope("OrderConfirmed", 1, orderId,
						Map.of("orderId", "nope", "customerEmail", "a@example.com")),
						"is about orderId nope but its correlationId is"))
			.map(Arguments::of);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("poison")
	void aRecordNoEmailCanBeMadeFromIsDeadLetteredAtOnceAndTheNextEventGetsItsEmail(Poison poison) {
		UUID orderId = UUID.randomUUID();
		String customer = "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

		this.orderService.sendRaw(orderId.toString(), poison.body());
		this.orderService.confirmed(orderId, customer);

		ConsumerRecord<String, String> dead = this.deadLetters.awaitOne(keyed(orderId));
		assertThat(dead.value()).as("the original record, for a replay").isEqualTo(poison.body());
		assertThat(header(dead, "kafka_dlt-exception-cause-fqcn")).as("not retried: malformed")
			.isEqualTo(MalformedMessageException.class.getName());
		assertThat(header(dead, "kafka_dlt-exception-message")).contains(poison.reason());
		assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(this.topics.orderEventsTopic());
		assertThat(mail.awaitOne(customer).subject()).endsWith("is confirmed");
		assertThat(this.notifications.findByOrderId(orderId)).hasSize(1);
		assertThat(this.deadLetters.records(keyed(orderId))).as("one dead letter, not one per retry").hasSize(1);
		assertThat(this.jdbc.sql("SELECT count(*) FROM inbox_message WHERE message_type <> 'OrderConfirmed'")
			.query(Integer.class)
			.single()).as("nothing remembered of a poison record").isZero();
	}

	/** The envelope JSON of an event with any type, version and payload, keyed by its order. */
	private static String envelope(String type, int version, UUID orderId, Map<String, ?> payload) {
		return MessageEnvelopeCodec.encode(MessageEnvelope.create(type, version, "order-service", orderId.toString(),
				payload));
	}

}
