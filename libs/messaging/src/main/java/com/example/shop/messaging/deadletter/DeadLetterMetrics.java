package com.example.shop.messaging.deadletter;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The gauge {@code dead.letters} (tags {@code application}, {@code source}): PARKED dead letters per topic or
 * queue, what an alert watches. Refreshed from the table on a thread of its own every
 * {@code shop.messaging.dead-letters.metrics-interval}, so a metrics scrape never queries the database. A
 * source whose dead letters were all replayed or discarded stays at 0 rather than disappearing.
 */
public class DeadLetterMetrics implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeadLetterMetrics.class);

	private final DeadLetterRepository repository;

	private final MeterRegistry registry;

	private final String application;

	private final Duration interval;

	private final Map<String, AtomicLong> parked = new ConcurrentHashMap<>();

	private volatile ScheduledThreadPoolExecutor scheduler;

	public DeadLetterMetrics(DeadLetterRepository repository, MeterRegistry registry, String application,
			Duration interval) {
		this.repository = repository;
		this.registry = registry;
		this.application = application;
		this.interval = interval;
	}

	void refresh() {
		try {
			Map<String, Long> counts = this.repository.parkedBySource();
			counts.forEach((source, count) -> gauge(source).set(count));
			this.parked.forEach((source, value) -> {
				if (!counts.containsKey(source)) {
					value.set(0);
				}
			});
		}
		catch (RuntimeException ex) {
			log.debug("Dead-letter gauge not refreshed: {}", ex.toString());
		}
	}

	private AtomicLong gauge(String source) {
		return this.parked.computeIfAbsent(source, (name) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder("dead.letters", value, AtomicLong::get)
				.tag("application", this.application)
				.tag("source", name)
				.description("Dead letters of this service waiting for an operator (PARKED), per topic or queue")
				.register(this.registry);
			return value;
		});
	}

	@Override
	public void start() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "dead-letter-metrics");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(this::refresh, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		this.scheduler = executor;
	}

	@Override
	public void stop() {
		ScheduledThreadPoolExecutor executor = this.scheduler;
		this.scheduler = null;
		if (executor != null) {
			executor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
