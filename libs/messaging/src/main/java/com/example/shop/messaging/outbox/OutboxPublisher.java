package com.example.shop.messaging.outbox;

import java.util.concurrent.CompletableFuture;

/**
 * Hands one outbox row to its broker's client without waiting: the returned future completes when the broker
 * has acknowledged the message (Kafka acks from all in-sync replicas, RabbitMQ a publisher confirm for a
 * routed message), or exceptionally with a {@link PublishFailedException} when it did not take it, within
 * the publish timeout. One per {@link Channel}; the Kafka and RabbitMQ ones exist only when the service has
 * that broker's client.
 * <p>
 * {@link OutboxRelay} sends many rows before it awaits their futures, so a publisher must not block for the
 * acknowledgement. It builds the broker headers in {@link #send} itself, on the caller's thread, where the
 * row's publish span is current (see {@link PublishSpans}).
 */
public interface OutboxPublisher {

	Channel channel();

	/**
	 * @return completes normally once the broker has the message; exceptionally with a
	 * {@link PublishFailedException} (already, when the broker turned out unreachable at once) when it does not
	 */
	CompletableFuture<Void> send(PendingMessage message);

}
