package com.example.shop.messaging.rabbit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;

/**
 * Turns {@link RabbitQueueTopology} beans into the broker objects Spring's {@code RabbitAdmin} declares
 * when it first connects. Every queue is a durable quorum queue (replicated on a cluster, and the only kind
 * with a delivery limit).
 * <p>
 * Dead-lettering out of Q and out of the retry tiers is {@code at-least-once}: the broker keeps a message
 * until the dead-letter target confirmed it, rather than dropping it on the way. That strategy requires
 * {@code x-overflow: reject-publish}.
 * <p>
 * Every queue, Q.dlq included, holds at most {@code shop.messaging.rabbit.max-length} messages and refuses
 * publishes beyond that ({@code x-max-length} with {@code reject-publish}), so a consumer that is gone cannot
 * fill the broker. Nothing is dropped on the way: a producer's refused publish stays in its outbox (the relay
 * retries it with backoff); a retry copy refused by a full tier is rejected to Q.dlq instead; and the broker's
 * own dead-lettering is at-least-once, so a message it moves into a full queue (Q to Q.dlq, an expired tier
 * message back to Q) stays in the queue it was leaving, counting against that queue's limit, until there is
 * room (the broker tries again every few minutes). So a full queue pushes back until the producers' outbox
 * tables hold the backlog. Q.dlq must refuse rather than use the default overflow, {@code drop-head}, which
 * would discard the oldest parked messages.
 * <p>
 * The limit is a queue argument and not a RabbitMQ policy, although a policy could be changed on a live queue:
 * a service's RabbitMQ user may declare its own queues but not set policies (that right reaches every queue of
 * the virtual host, deploy/rabbitmq/permissions), so a policy would have to be applied by every deployment
 * apart from the service, could not follow the service's configuration, and would leave the queues unbounded
 * wherever it was forgotten. An operator may still lower a limit with a policy: RabbitMQ applies the lower of
 * the two.
 * <p>
 * Queue arguments cannot change on an existing queue: changing a retry delay or the length limit means
 * deleting those queues first, or RabbitMQ refuses the declaration. Queues made by an earlier version (tiers
 * that dead-letter to the default exchange, queues without {@code x-max-length}) are deleted by ./platform up
 * while empty, and docs/messaging.md says how to replace them elsewhere without losing a message.
 */
final class RabbitTopologyDeclarations {

	private RabbitTopologyDeclarations() {
	}

	static Declarables of(List<RabbitQueueTopology> topologies, List<Duration> retryDelays, int deliveryLimit,
			int maxLength) {
		List<Declarable> declarables = new ArrayList<>();
		for (RabbitQueueTopology topology : topologies) {
			declare(topology, retryDelays, deliveryLimit, maxLength, declarables);
		}
		return new Declarables(declarables);
	}

	private static void declare(RabbitQueueTopology topology, List<Duration> retryDelays, int deliveryLimit,
			int maxLength, List<Declarable> declarables) {
		Exchange exchange = new ExchangeBuilder(topology.exchange(), topology.exchangeType()).durable(true).build();
		Queue queue = reliableQuorum(topology.queue(), maxLength).deadLetterExchange(topology.deadLetterExchange())
			.deliveryLimit(deliveryLimit)
			.build();
		declarables.add(exchange);
		declarables.add(queue);
		for (String routingKey : topology.routingKeys()) {
			declarables.add(BindingBuilder.bind(queue).to(exchange).with(routingKey).noargs());
		}

		// The service's own way back into Q and its tiers (retries, dead-letter replays), instead of the default
		// exchange, which its RabbitMQ user may not write to.
		DirectExchange redelivery = new DirectExchange(topology.redeliveryExchange(), true, false);
		declarables.add(redelivery);
		declarables.add(BindingBuilder.bind(queue).to(redelivery).with(topology.queue()));
		for (int tier = 1; tier <= retryDelays.size(); tier++) {
			// Expired messages go back to Q through Q.redelivery. Not through the default exchange: declaring a queue
			// that dead-letters there needs the right to write to it, which would reach every queue by name.
			Queue retryQueue = reliableQuorum(topology.retryQueue(tier), maxLength)
				.ttl((int) retryDelays.get(tier - 1).toMillis())
				.deadLetterExchange(topology.redeliveryExchange())
				.deadLetterRoutingKey(topology.queue())
				.build();
			declarables.add(retryQueue);
			declarables.add(BindingBuilder.bind(retryQueue).to(redelivery).with(topology.retryQueue(tier)));
		}

		FanoutExchange deadLetterExchange = new FanoutExchange(topology.deadLetterExchange(), true, false);
		// No dead-letter strategy: the parking queue dead-letters nowhere.
		Queue deadLetterQueue = bounded(topology.deadLetterQueue(), maxLength).build();
		Binding parking = BindingBuilder.bind(deadLetterQueue).to(deadLetterExchange);
		declarables.add(deadLetterExchange);
		declarables.add(deadLetterQueue);
		declarables.add(parking);
	}

	private static QueueBuilder reliableQuorum(String name, int maxLength) {
		return bounded(name, maxLength).withArgument("x-dead-letter-strategy", "at-least-once");
	}

	private static QueueBuilder bounded(String name, int maxLength) {
		return QueueBuilder.durable(name).quorum().maxLength(maxLength).overflow(QueueBuilder.Overflow.rejectPublish);
	}

}
