package com.example.shop.notification.support;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import java.nio.charset.StandardCharsets;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import com.example.shop.notification.email.EmailQueue;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.awaitility.Awaitility.await;

/**
 * Plays the operator at the parking queue {@code notification.email.dlq} on the real broker: reads what was
 * parked (everything read is kept) and replays a parked message into {@code notification.email}.
 */
public final class EmailQueueStandIn {

	private final RabbitTemplate rabbit;

	private final List<Message> parked = new CopyOnWriteArrayList<>();

	public EmailQueueStandIn(ConnectionFactory connectionFactory) {
		this.rabbit = new RabbitTemplate(connectionFactory);
	}

	public List<Message> parked() {
		Message message;
		while ((message = this.rabbit.receive(EmailQueue.DEAD_LETTER_QUEUE)) != null) {
			this.parked.add(message);
		}
		return List.copyOf(this.parked);
	}

	/** The parked SendEmail about this notification, if any. */
	public Optional<Message> parked(String notificationId) {
		return parked().stream()
			.filter((message) -> new String(message.getBody()).contains(notificationId))
			.findFirst();
	}

	public Message awaitParked(String notificationId, Duration atMost) {
		return await().atMost(atMost)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> parked(notificationId), Optional::isPresent)
			.orElseThrow();
	}

	/** Publishes an envelope to the exchange as the service's outbox does (id as message-id, identity headers). */
	public MessageEnvelope send(MessageEnvelope envelope) {
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(envelope.id().toString());
		properties.setType(envelope.type());
		properties.setAppId(envelope.source());
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		EnvelopeHeaders.of(envelope).forEach(properties::setHeader);
		this.rabbit.send(EmailQueue.EXCHANGE, EmailQueue.ROUTING_KEY,
				new Message(MessageEnvelopeCodec.encode(envelope).getBytes(StandardCharsets.UTF_8), properties));
		return envelope;
	}

	/** An operator's replay: the parked message, headers and all, back into its queue. */
	public void replay(Message parkedMessage) {
		this.rabbit.send("", EmailQueue.QUEUE, parkedMessage);
	}

}
