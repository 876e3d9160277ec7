package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.messaging.MessagingProperties;

/**
 * Publishes committed outbox rows and marks each sent only after its broker acknowledged it.
 * <p>
 * At-least-once: a crash between the broker's acknowledgement and the commit of {@code sent_at} publishes
 * the row again after restart (or by another replica), so consumers deduplicate by message id (the inbox).
 * Rows are never lost: a row is unsent until a broker has it.
 * <p>
 * Runs on a single thread of its own, so a service needs no {@code @EnableScheduling} and the relay never
 * competes with the service's scheduled work: it polls with a fixed delay, runs at once when a commit nudges
 * it, and also runs housekeeping and the backlog gauges. On shutdown it finishes the message it is
 * publishing (waits for the acknowledgement and commits) and stops; it stops after the web server and the
 * listener containers, so what they enqueued while draining still gets its chance.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	/** Stop late (start early): after the web server and the listener containers, which may still enqueue. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final int MAX_ERROR_LENGTH = 2000;

	private final OutboxRepository repository;

	private final TransactionTemplate transactions;

	private final Map<Channel, OutboxPublisher> publishers = new EnumMap<>(Channel.class);

	private final MessagingProperties.Outbox settings;

	private final RetryBackoff backoff;

	private final OutboxMetrics metrics;

	private final OutboxHousekeeping housekeeping;

	private final PublishSpans spans;

	private final String name;

	private final AtomicBoolean nudged = new AtomicBoolean();

	private volatile boolean running;

	private volatile ScheduledThreadPoolExecutor scheduler;

	OutboxRelay(String name, OutboxRepository repository, TransactionTemplate transactions,
			List<OutboxPublisher> publishers, MessagingProperties.Outbox settings, OutboxMetrics metrics,
			OutboxHousekeeping housekeeping) {
		this(name, repository, transactions, publishers, settings, metrics, housekeeping, PublishSpans.NONE);
	}

	OutboxRelay(String name, OutboxRepository repository, TransactionTemplate transactions,
			List<OutboxPublisher> publishers, MessagingProperties.Outbox settings, OutboxMetrics metrics,
			OutboxHousekeeping housekeeping, PublishSpans spans) {
		this.name = name;
		this.repository = repository;
		this.transactions = transactions;
		publishers.forEach((publisher) -> this.publishers.put(publisher.channel(), publisher));
		this.settings = settings;
		this.backoff = new RetryBackoff(settings.retryInitialDelay(), settings.retryMultiplier(),
				settings.retryMaxDelay());
		this.metrics = metrics;
		this.housekeeping = housekeeping;
		this.spans = spans;
	}

	/** Asks for a run as soon as possible; a burst of nudges while one run is queued adds nothing. */
	public void nudge() {
		ScheduledThreadPoolExecutor executor = this.scheduler;
		if (!this.running || executor == null || !this.nudged.compareAndSet(false, true)) {
			return;
		}
		try {
			executor.execute(() -> {
				this.nudged.set(false);
				drain();
			});
		}
		catch (RejectedExecutionException stopping) {
			this.nudged.set(false);
		}
	}

	/** Publishes batches until a batch comes back short: the backlog is drained or this relay is stopping. */
	void drain() {
		try {
			while (this.running && relayOneBatch() == this.settings.batchSize()) {
				// a full batch: there may be more right behind it
			}
		}
		catch (RuntimeException ex) {
			// Database gone, usually. The next poll tries again; a thrown exception would end the schedule.
			log.warn("Outbox relay {}: batch failed, retrying at the next poll: {}", this.name, ex.toString());
		}
	}

	/**
	 * Locks a batch, publishes each row, records the outcome, commits. Rows of one order are published in
	 * order; after one of them fails, the rest of that order waits (for its retry, in a later batch). After a
	 * broker turns out unavailable, the rest of the batch for that broker waits for the next poll instead of
	 * running into the same timeout row after row while holding the locks.
	 * @return how many rows the batch locked
	 */
	int relayOneBatch() {
		Integer locked = this.transactions.execute((status) -> {
			List<PendingMessage> batch = this.repository.lockNextBatch(this.settings.batchSize());
			Set<String> haltedOrders = new HashSet<>();
			Set<Channel> unavailable = EnumSet.noneOf(Channel.class);
			for (PendingMessage message : batch) {
				if (!this.running) {
					break; // shutting down: the rest stays unsent and is unlocked by the commit
				}
				if (haltedOrders.contains(message.correlationId()) || unavailable.contains(message.channel())) {
					continue;
				}
				PublishFailedException failure = publish(message);
				if (failure != null) {
					haltedOrders.add(message.correlationId());
					if (failure.brokerUnavailable()) {
						unavailable.add(message.channel());
					}
				}
			}
			return batch.size();
		});
		return locked == null ? 0 : locked;
	}

	/** @return null when published and marked sent, else the failure (recorded on the row) */
	private PublishFailedException publish(PendingMessage message) {
		OutboxPublisher publisher = this.publishers.get(message.channel());
		PublishFailedException failure;
		// Current while the publisher sends: the broker headers carry this span's context (see PublishSpans).
		try (PublishSpans.PublishSpan span = this.spans.start(message)) {
			try {
				if (publisher == null) {
					throw new PublishFailedException("this service has no " + message.channel().column()
							+ " client (add its Spring Boot starter)", false);
				}
				publisher.publish(message);
				this.repository.markSent(message.id());
				this.metrics.published(message.channel());
				return null;
			}
			catch (PublishFailedException ex) {
				failure = ex;
			}
			catch (RuntimeException ex) {
				failure = new PublishFailedException(ex.toString(), false, ex);
			}
			span.failed(failure);
		}
		Duration retryIn = this.backoff.after(message.attempts() + 1);
		this.repository.markFailed(message.id(), truncate(failure.getMessage()), retryIn);
		this.metrics.failed(message.channel());
		if (failure.reason() == PublishFailedException.Reason.QUEUE_FULL) {
			// Retried like any failure, and not hurried: the queue takes messages again only once its consumer
			// has made room. The rest of the batch is still tried, as each refusal comes back at once.
			this.metrics.rejected(message.channel(), message.destination());
		}
		log.warn("Outbox relay {}: {} not published (attempt {}), retry in {} ms: {}", this.name, message.describe(),
				message.attempts() + 1, retryIn.toMillis(), failure.getMessage());
		return failure;
	}

	@Override
	public void start() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "outbox-relay-" + this.name);
			thread.setDaemon(true); // never keeps a JVM alive whose context was not closed
			return thread;
		});
		this.scheduler = executor;
		this.running = true;
		executor.scheduleWithFixedDelay(this::drain, 0, this.settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
		executor.scheduleWithFixedDelay(this.metrics::refresh, 0, this.settings.metricsInterval().toMillis(),
				TimeUnit.MILLISECONDS);
		long housekeepingMillis = this.settings.housekeepingInterval().toMillis();
		executor.scheduleWithFixedDelay(this.housekeeping::run, housekeepingMillis, housekeepingMillis,
				TimeUnit.MILLISECONDS);
		log.info("Outbox relay {} started: poll every {} ms, batches of {}", this.name,
				this.settings.pollInterval().toMillis(), this.settings.batchSize());
	}

	@Override
	public void stop() {
		this.running = false;
		ScheduledThreadPoolExecutor executor = this.scheduler;
		if (executor == null) {
			return;
		}
		// Periodic runs are cancelled; a run in progress finishes the publish it is waiting for and commits.
		executor.shutdown();
		try {
			long waitMillis = this.settings.publishTimeout().toMillis() + 5_000;
			if (!executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
				log.warn("Outbox relay {} did not finish within {} ms; its locked rows stay unsent", this.name,
						waitMillis);
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			executor.shutdownNow();
		}
		log.info("Outbox relay {} stopped", this.name);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private static String truncate(String error) {
		String text = (error == null) ? "unknown error" : error;
		return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
	}

}
