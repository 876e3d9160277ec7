package com.example.shop.messaging.outbox;

import java.util.Objects;

import com.example.shop.messaging.envelope.MessageEnvelope;

/**
 * Where a kind of message goes: a Kafka topic (keyed by each message's correlation id, so one order's messages
 * keep their order on one partition) or a RabbitMQ exchange with a routing key.
 */
public record Destination(Channel channel, String name, String routingKey) {

	public Destination {
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(routingKey, "routingKey");
		if (name.isBlank()) {
			throw new IllegalArgumentException("name must not be blank");
		}
	}

	public static Destination kafka(String topic) {
		return new Destination(Channel.KAFKA, topic, "");
	}

	public static Destination rabbit(String exchange, String routingKey) {
		return new Destination(Channel.RABBIT, exchange, Objects.requireNonNull(routingKey, "routingKey"));
	}

	/** The outbox row of one message to here. */
	public OutgoingMessage of(MessageEnvelope envelope) {
		return switch (this.channel) {
			case KAFKA -> OutgoingMessage.kafka(this.name, envelope);
			case RABBIT -> OutgoingMessage.rabbit(this.name, this.routingKey, envelope);
		};
	}

	@Override
	public String toString() {
		return (this.channel == Channel.KAFKA) ? "Kafka " + this.name : "RabbitMQ " + this.name + " (" + this.routingKey + ")";
	}

}
