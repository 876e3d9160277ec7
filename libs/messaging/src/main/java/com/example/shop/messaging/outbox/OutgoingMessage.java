package com.example.shop.messaging.outbox;

import java.util.Objects;

import com.example.shop.messaging.envelope.MessageEnvelope;

/**
 * One message to hand to the outbox: where it goes and what it is.
 *
 * @param channel the broker
 * @param destination Kafka topic, or RabbitMQ exchange
 * @param key Kafka record key, or AMQP routing key
 * @param envelope the message
 */
public record OutgoingMessage(Channel channel, String destination, String key, MessageEnvelope envelope) {

	public OutgoingMessage {
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(destination, "destination");
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(envelope, "envelope");
		if (destination.isBlank()) {
			throw new IllegalArgumentException("destination must not be blank");
		}
	}

	/**
	 * To a Kafka topic, keyed by the envelope's correlation id (the order id), so every message of one order
	 * lands on one partition and keeps its order there.
	 */
	public static OutgoingMessage kafka(String topic, MessageEnvelope envelope) {
		return new OutgoingMessage(Channel.KAFKA, topic, envelope.correlationId(), envelope);
	}

	/** To a RabbitMQ exchange with a routing key. */
	public static OutgoingMessage rabbit(String exchange, String routingKey, MessageEnvelope envelope) {
		return new OutgoingMessage(Channel.RABBIT, exchange, routingKey, envelope);
	}

}
