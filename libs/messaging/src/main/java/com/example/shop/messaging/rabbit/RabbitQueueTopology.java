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
 *                           Q.retry.1 .. Q.retry.N (quorum, TTL each) --expired--> Q.redelivery --"Q"--> Q
 * Q.redelivery (direct) --"Q.retry.N"--> Q.retry.N
 *                       --"Q"--> Q
 * </pre>
 *
 * A listener failure moves the message to the next retry tier, where it waits out the tier's TTL and comes
 * back to Q; after the last tier, or at once when retrying cannot help, it goes to Q.dlq. See
 * {@link RetryTierRecoverer}. The service publishes its retries, and the replays of its dead letters, to
 * {@code Q.redelivery}, never to the default exchange: writing to the default exchange would let a service
 * put a message into any queue by name, so its RabbitMQ user is not allowed to (deploy/rabbitmq/permissions).
 * Expired tier messages go back through Q.redelivery too: RabbitMQ lets a user declare a queue that
 * dead-letters to an exchange only if it may write to that exchange.
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

	/** {@code Q.redelivery}: where the service sends Q's messages back, to a retry tier or to Q itself. */
	public String redeliveryExchange() {
		return redeliveryExchangeOf(this.queue);
	}

	/**
	 * {@code <queue>.redelivery}, for a queue known by name only (a stored dead letter's source): routing key
	 * {@code <queue>} reaches that queue alone.
	 */
	public static String redeliveryExchangeOf(String queue) {
		return queue + ".redelivery";
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
