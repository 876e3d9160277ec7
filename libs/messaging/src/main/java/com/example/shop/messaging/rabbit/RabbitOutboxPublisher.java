package com.example.shop.messaging.rabbit;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.concurrent.CompletableFuture;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

import com.example.shop.messaging.envelope.EnvelopeHeaders;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.outbox.Channel;
import com.example.shop.messaging.outbox.OutboxPublisher;
import com.example.shop.messaging.outbox.PendingMessage;
import com.example.shop.messaging.outbox.RawOutgoingMessage;

/**
 * Publishes outbox rows to a RabbitMQ exchange with their routing key: persistent, the envelope JSON as
 * body, the id as AMQP {@code message-id} and the envelope's identity as application headers; done when
 * RabbitMQ confirmed and routed it ({@link ConfirmedRabbitSender#sendAsync}).
 */
public class RabbitOutboxPublisher implements OutboxPublisher {

	private final ConfirmedRabbitSender sender;

	public RabbitOutboxPublisher(ConfirmedRabbitSender sender) {
		this.sender = sender;
	}

	@Override
	public Channel channel() {
		return Channel.RABBIT;
	}

	/** Correlated by the row's id: unique among the rows of a batch, as the sender requires. */
	@Override
	public CompletableFuture<Void> send(PendingMessage message) {
		return this.sender.sendAsync(message.destination(), message.key(), toAmqp(message), message.id().toString());
	}

	static Message toAmqp(PendingMessage message) {
		if (message.raw()) {
			return rawToAmqp(message);
		}
		MessageEnvelope envelope = message.decodedEnvelope();
		MessageProperties properties = new MessageProperties();
		properties.setMessageId(envelope.id().toString());
		properties.setType(envelope.type());
		properties.setAppId(envelope.source());
		properties.setTimestamp(Date.from(envelope.time()));
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setContentEncoding(StandardCharsets.UTF_8.name());
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		EnvelopeHeaders.forPublishing(EnvelopeHeaders.of(envelope)).forEach(properties::setHeader);
		return new Message(message.envelope().getBytes(StandardCharsets.UTF_8), properties);
	}

	/**
	 * A raw row (a dead-letter replay): the stored body, the stored application headers, and the AMQP
	 * properties that were stored as {@code amqp_*} keys; nothing derived from the body, which need not be an
	 * envelope.
	 */
	private static Message rawToAmqp(PendingMessage message) {
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		EnvelopeHeaders.forPublishing(message.headers()).forEach((name, value) -> {
			if (!name.startsWith(RawOutgoingMessage.AMQP_PROPERTY_PREFIX)) {
				properties.setHeader(name, value);
				return;
			}
			switch (name.substring(RawOutgoingMessage.AMQP_PROPERTY_PREFIX.length())) {
				case "messageId" -> properties.setMessageId(value);
				case "type" -> properties.setType(value);
				case "appId" -> properties.setAppId(value);
				case "contentType" -> properties.setContentType(value);
				case "contentEncoding" -> properties.setContentEncoding(value);
				case "correlationId" -> properties.setCorrelationId(value);
				default -> {
					// an AMQP property replays do not carry
				}
			}
		});
		if (properties.getMessageId() == null && message.headers().get(EnvelopeHeaders.MESSAGE_ID) != null) {
			properties.setMessageId(message.headers().get(EnvelopeHeaders.MESSAGE_ID));
		}
		return new Message(message.envelope().getBytes(StandardCharsets.UTF_8), properties);
	}

}
