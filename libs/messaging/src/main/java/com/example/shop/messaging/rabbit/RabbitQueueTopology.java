package com.example.shop.messaging.rabbit;

import java.util.List;
import java.util.Objects;

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
 *     return RabbitQueueTopology.of("payment.commands", "payment", "payment.command.#");
 * }
 * </pre>
 *
 * @param queue the queue's name, Q
 * @param exchange a durable topic exchange Q is bound to (declared too)
 * @param routingKeys Q's binding keys on it
 */
public record RabbitQueueTopology(String queue, String exchange, List<String> routingKeys) {

	public RabbitQueueTopology {
		Objects.requireNonNull(queue, "queue");
		Objects.requireNonNull(exchange, "exchange");
		routingKeys = List.copyOf(routingKeys);
		if (queue.isBlank() || exchange.isBlank() || routingKeys.isEmpty()) {
			throw new IllegalArgumentException("a queue topology needs a queue, an exchange and a routing key");
		}
	}

	public static RabbitQueueTopology of(String queue, String exchange, String... routingKeys) {
		return new RabbitQueueTopology(queue, exchange, List.of(routingKeys));
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
