package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.testsupport.TcpProxy;
import com.example.shop.messaging.TestMessages;
import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestInfrastructure;
import com.example.shop.testsupport.UsesInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox with RabbitMQ: a message is sent only when the broker confirmed it and a queue took it. The
 * service reaches RabbitMQ through a proxy the test can close, as if the broker had crashed.
 */
@SpringBootTest(classes = OutboxRabbitTests.App.class)
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class OutboxRabbitTests {

	static final TcpProxy RABBIT = TcpProxy.to(TestInfrastructure.rabbit().host(), TestInfrastructure.rabbit().amqpPort());

	static final String EXCHANGE = "payment";

	static final String OBSERVER = "payment.observer";

	@DynamicPropertySource
	static void rabbitThroughTheProxy(DynamicPropertyRegistry registry) {
		RABBIT.open();
		registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
		registry.add("spring.rabbitmq.port", RABBIT::port);
	}

	@AfterAll
	static void closeProxy() {
		RABBIT.close();
	}

	@Autowired
	Outbox outbox;

	@Autowired
	TransactionTemplate transaction;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	AmqpAdmin admin;

	@Test
	void aCommittedMessageIsConfirmedRoutedAndCarriesItsIdentity() {
		MessageEnvelope envelope = TestMessages.envelope("ok");

		enqueue(OutgoingMessage.rabbit(EXCHANGE, "payment.authorize", envelope));

		Message received = receiveFrom(OBSERVER, envelope.id());
		assertThat(received.getMessageProperties().getMessageId()).isEqualTo(envelope.id().toString());
		assertThat(received.getMessageProperties().getReceivedRoutingKey()).isEqualTo("payment.authorize");
		assertThat(received.getMessageProperties().getContentType()).isEqualTo("application/json");
		assertThat(received.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
		assertThat(received.getMessageProperties().<String>getHeader(EnvelopeHeaders.MESSAGE_TYPE)).isEqualTo("TestHappened");
		assertThat(received.getMessageProperties().<String>getHeader(EnvelopeHeaders.MESSAGE_VERSION)).isEqualTo("1");
		assertThat(received.getMessageProperties().<String>getHeader(EnvelopeHeaders.MESSAGE_SOURCE)).isEqualTo(TestMessages.SOURCE);
		assertThat(received.getMessageProperties().<String>getHeader(EnvelopeHeaders.CORRELATION_ID)).isEqualTo(envelope.correlationId());
		assertThat(MessageEnvelopeCodec.decode(received.getBody())).isEqualTo(envelope);
		await().atMost(Duration.ofSeconds(5)).until(() -> row(envelope.id()).sent());
	}

	@Test
	void anUnroutableMessageIsNotSentAndIsDeliveredOnceAQueueIsBound() {
		TopicExchange exchange = new TopicExchange("unbound-" + UUID.randomUUID(), true, false);
		this.admin.declareExchange(exchange);
		MessageEnvelope envelope = TestMessages.envelope("ok");

		enqueue(OutgoingMessage.rabbit(exchange.getName(), "payment.capture", envelope));

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(row(envelope.id()).attempts()).isGreaterThanOrEqualTo(2));
		KafkaOutageTests.OutboxRow failing = row(envelope.id());
		assertThat(failing.sent()).as("returned by the broker: not sent").isFalse();
		assertThat(failing.lastError()).startsWith("unroutable").contains(exchange.getName()).contains("payment.capture");

		Queue late = QueueBuilder.durable("late-" + UUID.randomUUID()).build();
		this.admin.declareQueue(late);
		this.admin.declareBinding(BindingBuilder.bind(late).to(exchange).with("payment.#"));

		Message received = receiveFrom(late.getName(), envelope.id());
		assertThat(received.getMessageProperties().getMessageId()).isEqualTo(envelope.id().toString());
		await().atMost(Duration.ofSeconds(5)).until(() -> row(envelope.id()).sent());
	}

	@Test
	void aMessageForACrashedBrokerIsNotSentAndIsDeliveredWhenTheBrokerIsBack() {
		MessageEnvelope envelope = TestMessages.envelope("ok");
		RABBIT.close();
		try {
			enqueue(OutgoingMessage.rabbit(EXCHANGE, "payment.void", envelope));

			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(row(envelope.id()).attempts()).isGreaterThanOrEqualTo(2));
			assertThat(row(envelope.id()).sent()).isFalse();
			assertThat(row(envelope.id()).lastError()).startsWith("RabbitMQ unreachable");
		}
		finally {
			RABBIT.open();
		}

		Message received = receiveFrom(OBSERVER, envelope.id());
		assertThat(received.getMessageProperties().getMessageId()).isEqualTo(envelope.id().toString());
		await().atMost(Duration.ofSeconds(5)).until(() -> row(envelope.id()).sent());
	}

	private void enqueue(OutgoingMessage message) {
		this.transaction.executeWithoutResult((status) -> this.outbox.enqueue(message));
	}

	/** Receives from {@code queue} until the message with that id arrives; others are dropped. */
	private Message receiveFrom(String queue, UUID id) {
		return await().atMost(Duration.ofSeconds(30)).until(() -> {
			Message message = this.rabbit.receive(queue, 500);
			return (message != null && id.toString().equals(message.getMessageProperties().getMessageId())) ? message
					: null;
		}, (message) -> message != null);
	}

	private KafkaOutageTests.OutboxRow row(UUID id) {
		return this.jdbc.sql("""
				SELECT attempts, last_error, sent_at IS NOT NULL AS sent, available_at > clock_timestamp() AS waiting
				FROM outbox_message WHERE id = :id
				""")
			.param("id", id)
			.query((rs, n) -> new KafkaOutageTests.OutboxRow(rs.getInt("attempts"), rs.getString("last_error"),
					rs.getBoolean("sent"), rs.getBoolean("waiting")))
			.single();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		/** A publishing service declares the exchanges it publishes to. */
		@Bean
		TopicExchange paymentExchange() {
			return new TopicExchange(EXCHANGE, true, false);
		}

		@Bean
		Queue observer() {
			return QueueBuilder.durable(OBSERVER).build();
		}

		@Bean
		Binding observerBinding() {
			return BindingBuilder.bind(observer()).to(paymentExchange()).with("payment.#");
		}

	}

}
