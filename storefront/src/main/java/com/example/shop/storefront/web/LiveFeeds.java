package com.example.shop.storefront.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live feeds this replica holds open to browsers (Server-Sent Events): an order's status relayed from the
 * gateway's WebSocket (one WebSocket upstream each), a product's stock from the replica's one stock stream. Their
 * number is bounded ({@code shop.storefront.live.max-feeds}); one beyond it is answered with an SSE retry hint of
 * {@value #BUSY_RETRY_MILLIS} ms and closed, so the browser's EventSource tries again then (a 503 would make it give
 * up for good). Each lives at most {@code feed-lifetime}: the browser reconnects and is sent the current state, so no
 * relay is held forever by a tab left open. Every {@code heartbeat} each open feed is sent an SSE comment: a browser
 * that left without closing is only noticed when something is written to it.
 * <p>
 * Metrics: {@code storefront.live.feeds} (open now) and {@code storefront.live.feeds.refused}.
 */
@Component
public class LiveFeeds {

	static final long BUSY_RETRY_MILLIS = 10_000;

	private final Semaphore open;

	private final int capacity;

	private final Duration lifetime;

	private final Counter refused;

	private final Set<SseEmitter> feeds = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService heartbeats = Executors
		.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("live-feed-heartbeat").factory());

	LiveFeeds(@Value("${shop.storefront.live.max-feeds}") int capacity,
			@Value("${shop.storefront.live.feed-lifetime}") Duration lifetime,
			@Value("${shop.storefront.live.heartbeat}") Duration heartbeat, MeterRegistry registry) {
		this.capacity = capacity;
		this.open = new Semaphore(capacity);
		this.lifetime = lifetime;
		Gauge.builder("storefront.live.feeds", () -> this.capacity - this.open.availablePermits())
			.description("Live feeds (SSE) open to browsers")
			.register(registry);
		this.refused = Counter.builder("storefront.live.feeds.refused")
			.description("Live feeds refused because this replica holds as many as it may")
			.register(registry);
		heartbeats.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void beat() {
		for (SseEmitter feed : feeds) {
			try {
				feed.send(SseEmitter.event().comment("still here"));
			}
			catch (IOException | IllegalStateException browserGone) {
				feed.completeWithError(browserGone);
			}
		}
	}

	@PreDestroy
	void stop() {
		heartbeats.shutdownNow();
	}

	/** For a browser this replica cannot serve a feed now: try again in {@value #BUSY_RETRY_MILLIS} ms. */
	public SseEmitter busy() {
		SseEmitter emitter = new SseEmitter(0L);
		try {
			emitter.send(SseEmitter.event().reconnectTime(BUSY_RETRY_MILLIS).comment("busy, try again later"));
		}
		catch (IOException | IllegalStateException browserGone) {
			// Nothing to tell a browser that is gone.
		}
		emitter.complete();
		return emitter;
	}

	/**
	 * A new feed, or empty when this replica holds as many as it may (then {@link #busy()}). {@code onEnd} runs once when the feed ends for
	 * any reason (completed, timed out, the browser gone): it releases what the feed holds upstream.
	 */
	public Optional<SseEmitter> open(Runnable onEnd) {
		if (!open.tryAcquire()) {
			refused.increment();
			return Optional.empty();
		}
		SseEmitter emitter = new SseEmitter(lifetime.toMillis());
		AtomicBoolean ended = new AtomicBoolean();
		Runnable end = () -> {
			if (ended.compareAndSet(false, true)) {
				feeds.remove(emitter);
				open.release();
				onEnd.run();
			}
		};
		emitter.onCompletion(end);
		emitter.onTimeout(() -> {
			emitter.complete();
			end.run();
		});
		emitter.onError(failure -> end.run());
		feeds.add(emitter);
		return Optional.of(emitter);
	}

}
