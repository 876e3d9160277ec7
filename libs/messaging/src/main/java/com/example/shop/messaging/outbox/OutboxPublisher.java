package com.example.shop.messaging.outbox;

/**
 * Publishes one outbox row to its broker and returns only once the broker has acknowledged it (Kafka acks
 * from all in-sync replicas, RabbitMQ a publisher confirm for a routed message). One per {@link Channel};
 * the Kafka and RabbitMQ ones exist only when the service has that broker's client.
 */
public interface OutboxPublisher {

	Channel channel();

	/** @throws PublishFailedException when the broker did not take the message; it stays unsent */
	void publish(PendingMessage message) throws PublishFailedException;

}
