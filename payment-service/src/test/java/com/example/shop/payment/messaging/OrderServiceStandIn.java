package com.example.shop.payment.messaging;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Plays order-service against payment-service through the real broker, with plain AMQP: publishes commands
 * to the exchange {@code payment.commands} as order-service's outbox does (envelope as body, id as
 * {@code message-id}, identity headers), and reads the replies from its own queue bound to the direct
 * exchange {@code payment.replies} with routing key {@code order-service}. Also reads the parking queue
 * {@code payment.commands.dlq}. Everything read is kept, so a test finds its messages whatever another
 * test's leftovers did meanwhile.
 */
final class OrderServiceStandIn {

	static final String REPLIES_QUEUE = "order.payment-replies";

	static final String DEAD_LETTERS = "payment.commands.dlq";

	/** The customer of the orders whose AuthorizePayment does not name another. */
	static final UUID CUSTOMER = UUID.randomUUID();

	private final RabbitTemplate rabbit;

	private final List<Received> replies = new CopyOnWriteArrayList<>();

	private final List<Received> deadLetters = new CopyOnWriteArrayList<>();

	OrderServiceStandIn(ConnectionFactory connectionFactory) {
		this.rabbit = new RabbitTemplate(connectionFactory);
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		// Declared as order-service declares it: a direct exchange (a topic one would be refused).
		DirectExchange replies = new DirectExchange("payment.replies", true, false);
		Queue queue = QueueBuilder.durable(REPLIES_QUEUE).quorum().build();
		admin.declareExchange(replies);
		admin.declareQueue(queue);
		admin.declareBinding(BindingBuilder.bind(queue).to(replies).with("order-service"));
		assertThat(admin.getQueueInfo("payment.commands")).as("payment-service declared its queue").isNotNull();
	}

	/** A message as it arrived: when, the AMQP properties and the envelope (null when not one). */
	record Received(Instant at, MessageProperties properties, MessageEnvelope envelope, byte[] body) {

		String messageId() {
			return this.properties.getMessageId();
		}

		<T> T header(String name) {
			return this.properties.getHeader(name);
		}

		@SuppressWarnings("unchecked")
		Map<String, Object> payload() {
			return this.envelope.payloadAs(Map.class);
		}

	}

	// ---- commands -------------------------------------------------------------------------------

	/** An AuthorizePayment for an order of {@link #CUSTOMER}. */
	MessageEnvelope authorize(UUID orderId, String amount, String token) {
		return authorize(orderId, CUSTOMER, amount, token);
	}

	/**
	 * An AuthorizePayment for an order of {@code customerId}; null leaves the field out, as an order-service from
	 * before it did.
	 */
	MessageEnvelope authorize(UUID orderId, UUID customerId, String amount, String token) {
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("orderId", orderId);
		if (customerId != null) {
			payload.put("customerId", customerId);
		}
		payload.put("amount", new BigDecimal(amount));
		payload.put("currency", "EUR");
		payload.put("token", token);
		return send("authorize", command("AuthorizePayment", orderId, payload));
	}

	MessageEnvelope capture(UUID orderId) {
		return send("capture", command("CapturePayment", orderId, Map.of("orderId", orderId)));
	}

	MessageEnvelope voidPayment(UUID orderId) {
		return send("void", command("VoidPayment", orderId, Map.of("orderId", orderId)));
	}

	MessageEnvelope refund(UUID orderId) {
		return send("refund", command("RefundPayment", orderId, Map.of("orderId", orderId)));
	}

	static MessageEnvelope command(String type, UUID orderId, Object payload) {
		return command(type, 1, orderId, payload);
	}

	static MessageEnvelope command(String type, int version, UUID orderId, Object payload) {
		return MessageEnvelope.create(type, version, "order-service", orderId.toString(), payload);
	}

	/** Publishes the envelope; publishing the same one again is a redelivery (same id). */
	MessageEnvelope send(String routingKey, MessageEnvelope envelope) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(envelope.id().toString());
		properties.setType(envelope.type());
		properties.setAppId(envelope.source());
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		EnvelopeHeaders.of(envelope).forEach(properties::setHeader);
		this.rabbit.send("payment.commands", routingKey,
				new Message(MessageEnvelopeCodec.encode(envelope).getBytes(StandardCharsets.UTF_8), properties));
		return envelope;
	}

	/** Publishes any body, for messages that are not envelopes at all. */
	void sendRaw(String routingKey, String messageId, String body) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(messageId);
		this.rabbit.send("payment.commands", routingKey, new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

	// ---- replies --------------------------------------------------------------------------------

	List<Received> repliesOf(UUID orderId) {
		drain(REPLIES_QUEUE, this.replies);
		return this.replies.stream().filter((reply) -> reply.envelope().correlationId().equals(orderId.toString())).toList();
	}

	List<Received> repliesOf(UUID orderId, String type) {
		return repliesOf(orderId).stream().filter((reply) -> reply.envelope().type().equals(type)).toList();
	}

	Received awaitReply(UUID orderId, String type) {
		return await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> repliesOf(orderId, type), (found) -> !found.isEmpty())
			.get(0);
	}

	// ---- dead letters ---------------------------------------------------------------------------

	Optional<Received> deadLetter(String messageId) {
		drain(DEAD_LETTERS, this.deadLetters);
		return this.deadLetters.stream().filter((parked) -> messageId.equals(parked.messageId())).findFirst();
	}

	Received awaitDeadLetter(String messageId, Duration atMost) {
		return await().atMost(atMost)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> deadLetter(messageId), Optional::isPresent)
			.orElseThrow();
	}

	private void drain(String queue, List<Received> into) {
		Message message;
		while ((message = this.rabbit.receive(queue)) != null) {
			MessageEnvelope envelope = null;
			try {
				envelope = MessageEnvelopeCodec.decode(message.getBody());
			}
			catch (RuntimeException notAnEnvelope) {
				// dead letters may be anything that was published
			}
			into.add(new Received(Instant.now(), message.getMessageProperties(), envelope, message.getBody()));
		}
	}

}
