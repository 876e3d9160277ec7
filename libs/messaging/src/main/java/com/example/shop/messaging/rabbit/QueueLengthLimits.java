package com.example.shop.messaging.rabbit;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The gauge {@code messaging.queue.max.length} (tags {@code application}, {@code queue}): the
 * {@code x-max-length} this service declares on each of its queues (Q, its retry tiers, Q.dlq). RabbitMQ's
 * own metrics have each queue's depth but not its limit; with this one a dashboard shows how full a queue is,
 * whatever the service configured.
 */
final class QueueLengthLimits {

	QueueLengthLimits(MeterRegistry registry, String application, List<RabbitQueueTopology> topologies,
			int retryTiers, int maxLength) {
		for (RabbitQueueTopology topology : topologies) {
			for (String queue : queuesOf(topology, retryTiers)) {
				Gauge.builder("messaging.queue.max.length", () -> maxLength)
					.tag("application", application)
					.tag("queue", queue)
					.description("x-max-length of the queue: beyond it RabbitMQ refuses publishes")
					.register(registry);
			}
		}
	}

	private static List<String> queuesOf(RabbitQueueTopology topology, int retryTiers) {
		List<String> queues = new ArrayList<>();
		queues.add(topology.queue());
		for (int tier = 1; tier <= retryTiers; tier++) {
			queues.add(topology.retryQueue(tier));
		}
		queues.add(topology.deadLetterQueue());
		return queues;
	}

}
