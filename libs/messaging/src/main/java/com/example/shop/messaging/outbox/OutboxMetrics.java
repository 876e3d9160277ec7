package com.example.shop.messaging.outbox;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outbox.backlog} (unsent rows) and {@code outbox.oldest.age} (seconds the oldest unsent row has
 * waited): a growing age means a broker is down or a message is stuck, whatever the volume. Counters
 * {@code outbox.published} and {@code outbox.publish.failures} per channel, and among the failures
 * {@code outbox.publish.rejected} per channel and destination: publishes a full queue refused, which wait in
 * the outbox until its consumer has made room. All tagged with the application.
 * <p>
 * The gauges read values the relay thread refreshes, so a metrics scrape never queries the database.
 */
class OutboxMetrics {

	private static final Logger log = LoggerFactory.getLogger(OutboxMetrics.class);

	private final OutboxRepository repository;

	private final MeterRegistry registry;

	private final Tags tags;

	private final AtomicLong backlog = new AtomicLong();

	private final AtomicLong oldestAgeMillis = new AtomicLong();

	OutboxMetrics(OutboxRepository repository, MeterRegistry registry, String application) {
		this.repository = repository;
		this.registry = registry;
		this.tags = Tags.of("application", application);
		Gauge.builder("outbox.backlog", this.backlog, AtomicLong::get)
			.tags(this.tags)
			.description("Outbox messages not yet acknowledged by their broker")
			.register(registry);
		Gauge.builder("outbox.oldest.age", this.oldestAgeMillis, (age) -> age.get() / 1000.0)
			.tags(this.tags)
			.baseUnit("seconds")
			.description("How long the oldest unsent outbox message has waited")
			.register(registry);
	}

	void refresh() {
		try {
			OutboxRepository.Backlog current = this.repository.backlog();
			this.backlog.set(current.unsent());
			this.oldestAgeMillis.set((long) (current.oldestSeconds() * 1000));
		}
		catch (RuntimeException ex) {
			log.debug("Outbox backlog not refreshed: {}", ex.toString());
		}
	}

	void published(Channel channel) {
		counter("outbox.published", channel).increment();
	}

	void failed(Channel channel) {
		counter("outbox.publish.failures", channel).increment();
	}

	void rejected(Channel channel, String destination) {
		Counter.builder("outbox.publish.rejected")
			.tags(this.tags)
			.tag("channel", channel.column())
			.tag("destination", destination)
			.description("Publishes refused because a queue was full; the messages stay unsent and are retried")
			.register(this.registry)
			.increment();
	}

	private Counter counter(String name, Channel channel) {
		return Counter.builder(name).tags(this.tags).tag("channel", channel.column()).register(this.registry);
	}

}
