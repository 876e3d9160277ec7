package com.example.shop.messaging.rabbit;

import java.util.List;
import java.util.Objects;

import org.springframework.amqp.core.ExchangeTypes;

/**
 * A queue a service consumes, declared as a bean; the library declares it with its retry tiers and
 * dead-letter queue:
 *
 * <pre>
 * exchange --routingKeys--> Q (quorum) --x-dead-letter-exchange--> Q.dlx (fanout) --> Q.dlq (quorum)
 *                           Q.retry.1 .. Q.retry.N (quorum, TTL each) --expired--> (default exchange) --> Q
 * </pre>
 *
 * A listener failure moves the message to the next retry tier, where it waits out the tier's TTL and comes
 * back to Q; after the last tier, or at once when retrying cannot help, it goes to Q.dlq. See
 * {@link RetryTierRecoverer}.
 *
 * <pre>
 * &#64;Bean
 * RabbitQueueTopology paymentCommands() {
 *     return RabbitQueueTopology.direct("payment.commands", "payment.commands", "authorize", "capture");
 * }
 * </pre>
 *
 * The exchange's type is part of the contract between every service that declares it (its producers
 * declare it too, so start order does not matter): RabbitMQ refuses to redeclare an exchange as another
 * type. So the type is stated here, never implied.
 *
 * @param queue the queue's name, Q
 * @param exchange a durable exchange Q is bound to (declared too)
 * @param exchangeType {@link ExchangeTypes#DIRECT} or {@link ExchangeTypes#TOPIC}
 * @param routingKeys Q's binding keys on it
 */
public record RabbitQueueTopology(String queue, String exchange, String exchangeType, List<String> routingKeys) {

	public RabbitQueueTopology {
		Objects.requireNonNull(queue, "queue");
		Objects.requireNonNull(exchange, "exchange");
		routingKeys = List.copyOf(routingKeys);
		if (queue.isBlank() || exchange.isBlank() || routingKeys.isEmpty()) {
			throw new IllegalArgumentException("a queue topology needs a queue, an exchange and a routing key");
		}
		if (!ExchangeTypes.DIRECT.equals(exchangeType) && !ExchangeTypes.TOPIC.equals(exchangeType)) {
			throw new IllegalArgumentException("exchange type must be direct or topic, not " + exchangeType);
		}
	}

	/** Q bound to a direct exchange: routing keys match exactly. */
	public static RabbitQueueTopology direct(String queue, String exchange, String... routingKeys) {
		return new RabbitQueueTopology(queue, exchange, ExchangeTypes.DIRECT, List.of(routingKeys));
	}

	/** Q bound to a topic exchange: routing keys may hold {@code *} and {@code #} wildcards. */
	public static RabbitQueueTopology topic(String queue, String exchange, String... routingKeys) {
		return new RabbitQueueTopology(queue, exchange, ExchangeTypes.TOPIC, List.of(routingKeys));
	}

	/** {@code Q.retry.N}, N from 1. */
	public String retryQueue(int tier) {
		return this.queue + ".retry." + tier;
	}

	/** {@code Q.dlx}: where the broker itself dead-letters Q's messages (delivery limit, rejects). */
	public String deadLetterExchange() {
		return this.queue + ".dlx";
	}

	/** {@code Q.dlq}: the parking queue operators look at. */
	public String deadLetterQueue() {
		return this.queue + ".dlq";
	}

}
