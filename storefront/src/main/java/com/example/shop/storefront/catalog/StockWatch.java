package com.example.shop.storefront.catalog;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One stream of inventory's stock changes per replica (all products, {@link InventoryStock#watch}), fanned out to the
 * product pages open on it: a thousand shoppers on product pages cost inventory one stream, not a thousand. Started
 * when the storefront is ready.
 * <p>
 * The stream has a deadline ({@code shop.storefront.live.stock-stream-lifetime}) like every remote call: when it
 * ends, by the deadline, an error or inventory going away, it is opened again, at once after the deadline and with a
 * growing pause (up to 30 s) after failures. Changes made while no stream was open would be missed, and the server
 * does not acknowledge a new stream; so a moment after each (re)opening every watched product's current level is read
 * again through the public API and sent to its pages.
 * <p>
 * Metric: {@code storefront.stock.watch.connected} (1 while a stream is open).
 */
@Component
class StockWatch {

	private static final Logger log = LoggerFactory.getLogger(StockWatch.class);

	private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

	private final InventoryStock inventory;

	private final Duration streamLifetime;

	private final Map<UUID, Set<IntConsumer>> pages = new ConcurrentHashMap<>();

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("stock-watch").factory());

	private final AtomicInteger connected = new AtomicInteger();

	private volatile Duration pause = FIRST_PAUSE;

	private volatile boolean stopped;

	StockWatch(InventoryStock inventory,
			@Value("${shop.storefront.live.stock-stream-lifetime}") Duration streamLifetime, MeterRegistry meters) {
		this.inventory = inventory;
		this.streamLifetime = streamLifetime;
		Gauge.builder("storefront.stock.watch.connected", connected::get)
			.description("1 while the storefront's WatchStock stream to inventory is open")
			.register(meters);
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		scheduler.execute(this::open);
	}

	/** The product's level as it changes; the returned action ends the subscription. */
	Runnable subscribe(UUID product, IntConsumer page) {
		pages.computeIfAbsent(product, id -> ConcurrentHashMap.newKeySet()).add(page);
		return () -> pages.computeIfPresent(product, (id, listeners) -> {
			listeners.remove(page);
			return listeners.isEmpty() ? null : listeners;
		});
	}

	/** The product's level now, through the public API; empty when it cannot be read. */
	Optional<Integer> current(UUID product) {
		return inventory.available(product);
	}

	private void open() {
		if (stopped) {
			return;
		}
		inventory.watch(streamLifetime, new Changes());
		connected.set(1);
		scheduler.schedule(this::resend, 1, TimeUnit.SECONDS);
	}

	private void resend() {
		for (UUID product : pages.keySet()) {
			current(product).ifPresent(level -> deliver(product, level));
		}
	}

	private void deliver(UUID product, int level) {
		Set<IntConsumer> listeners = pages.get(product);
		if (listeners != null) {
			listeners.forEach(page -> page.accept(level));
		}
	}

	private void reopenAfter(Duration wait) {
		connected.set(0);
		if (!stopped) {
			scheduler.schedule(this::open, wait.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	@PreDestroy
	void stop() {
		stopped = true;
		scheduler.shutdownNow();
	}

	private final class Changes implements InventoryStock.StockChanges {

		@Override
		public void changed(UUID product, int available) {
			pause = FIRST_PAUSE;
			deliver(product, available);
		}

		@Override
		public void expired() {
			reopenAfter(Duration.ZERO);
		}

		@Override
		public void failed(Throwable failure) {
			Duration wait = pause;
			pause = wait.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : wait.multipliedBy(2);
			log.info("Stock stream from inventory ended ({}); opening it again in {}", failure.toString(), wait);
			reopenAfter(wait);
		}

		@Override
		public void completed() {
			reopenAfter(FIRST_PAUSE);
		}

	}

}
