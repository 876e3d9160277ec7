package com.example.shop.order.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Plays payment-service through the real RabbitMQ broker: declares what payment-service declares (the direct
 * exchange {@code payment.commands} and the queue {@code payment.commands} with routing keys authorize, capture,
 * void, refund), reads the commands order-service publishes, and publishes replies to the exchange
 * {@code payment.replies} with routing key {@code order-service}.
 */
public final class PaymentStandIn {

	public static final String COMMANDS = "payment.commands";

	private final RabbitTemplate rabbit;

	private final RabbitAdmin admin;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	public PaymentStandIn(ConnectionFactory connectionFactory) {
		this.rabbit = new RabbitTemplate(connectionFactory);
		this.admin = new RabbitAdmin(connectionFactory);
		// Declared as payment-service declares them (docs/messaging.md: direct). RabbitMQ refuses a declaration
		// of another type, so this also checks that order-service declared payment.replies, the exchange it
		// consumes from, as direct.
		DirectExchange exchange = new DirectExchange(COMMANDS, true, false);
		Queue queue = QueueBuilder.durable(COMMANDS).quorum().build();
		this.admin.declareExchange(exchange);
		this.admin.declareExchange(new DirectExchange("payment.replies", true, false));
		this.admin.declareQueue(queue);
		for (String key : List.of("authorize", "capture", "void", "refund")) {
			this.admin.declareBinding(BindingBuilder.bind(queue).to(exchange).with(key));
		}
	}

	/** A command as it arrived: routing key, AMQP properties and envelope. */
	public record Received(String routingKey, MessageProperties properties, MessageEnvelope envelope) {
	}

	private void drain() {
		Message message;
		while ((message = this.rabbit.receive(COMMANDS)) != null) {
			this.received.add(new Received(message.getMessageProperties().getReceivedRoutingKey(),
					message.getMessageProperties(), MessageEnvelopeCodec.decode(message.getBody())));
		}
	}

	public List<Received> commandsOf(UUID orderId) {
		drain();
		return this.received.stream().filter((r) -> r.envelope().correlationId().equals(orderId.toString())).toList();
	}

	public List<String> typesOf(UUID orderId) {
		return commandsOf(orderId).stream().map((r) -> r.envelope().type()).toList();
	}

	public Received awaitCommand(UUID orderId, String type) {
		return awaitCommand(orderId, type, 1);
	}

	public Received awaitCommand(UUID orderId, String type, int n) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> commandsOf(orderId).stream().filter((r) -> r.envelope().type().equals(type)).toList(),
					(found) -> found.size() >= n)
			.get(n - 1);
	}

	public MessageEnvelope reply(UUID orderId, String type, Object payload) {
		MessageEnvelope envelope = MessageEnvelope.create(type, 1, "payment-service", orderId.toString(), payload);
		resend(envelope);
		return envelope;
	}

	public MessageEnvelope reply(UUID orderId, String type) {
		return reply(orderId, type, Map.of("orderId", orderId));
	}

	/** The same envelope again (same id): a redelivery. */
	public void resend(MessageEnvelope envelope) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");
		properties.setMessageId(envelope.id().toString());
		send(new Message(MessageEnvelopeCodec.encode(envelope).getBytes(), properties));
	}

	public void send(Message message) {
		this.rabbit.send("payment.replies", "order-service", message);
	}

	public RabbitTemplate template() {
		return this.rabbit;
	}

}
