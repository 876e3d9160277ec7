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
 * Queue arguments cannot change on an existing queue: changing a retry delay means deleting that tier's
 * queue first (it is empty whenever nothing is being retried), or RabbitMQ refuses the declaration. Tiers made
 * before Q.redelivery existed dead-letter to the default exchange; ./platform up deletes those while they are
 * empty, and docs/messaging.md says how to do it elsewhere.
 */
final class RabbitTopologyDeclarations {

	private RabbitTopologyDeclarations() {
	}

	static Declarables of(List<RabbitQueueTopology> topologies, List<Duration> retryDelays, int deliveryLimit) {
		List<Declarable> declarables = new ArrayList<>();
		for (RabbitQueueTopology topology : topologies) {
			declare(topology, retryDelays, deliveryLimit, declarables);
		}
		return new Declarables(declarables);
	}

	private static void declare(RabbitQueueTopology topology, List<Duration> retryDelays, int deliveryLimit,
			List<Declarable> declarables) {
		Exchange exchange = new ExchangeBuilder(topology.exchange(), topology.exchangeType()).durable(true).build();
		Queue queue = reliableQuorum(topology.queue()).deadLetterExchange(topology.deadLetterExchange())
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
			Queue retryQueue = reliableQuorum(topology.retryQueue(tier)).ttl((int) retryDelays.get(tier - 1).toMillis())
				.deadLetterExchange(topology.redeliveryExchange())
				.deadLetterRoutingKey(topology.queue())
				.build();
			declarables.add(retryQueue);
			declarables.add(BindingBuilder.bind(retryQueue).to(redelivery).with(topology.retryQueue(tier)));
		}

		FanoutExchange deadLetterExchange = new FanoutExchange(topology.deadLetterExchange(), true, false);
		Queue deadLetterQueue = QueueBuilder.durable(topology.deadLetterQueue()).quorum().build();
		Binding parking = BindingBuilder.bind(deadLetterQueue).to(deadLetterExchange);
		declarables.add(deadLetterExchange);
		declarables.add(deadLetterQueue);
		declarables.add(parking);
	}

	private static QueueBuilder reliableQuorum(String name) {
		return QueueBuilder.durable(name)
			.quorum()
			.withArgument("x-dead-letter-strategy", "at-least-once")
			.overflow(QueueBuilder.Overflow.rejectPublish);
	}

}
