package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * it, and also runs housekeeping and the backlog gauges. On shutdown it finishes the wave it is publishing
 * (waits for the acknowledgements and commits) and stops; it stops after the web server and the listener
 * containers, so what they enqueued while draining still gets its chance.
 * <p>
 * A batch is pipelined ({@link WavePublisher}): the rows of different orders go out together and are
 * acknowledged together, instead of one round trip to the broker per row, and the acknowledged rows are
 * marked sent with one statement.
 */
public class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	/** Stop late (start early): after the web server and the listener containers, which may still enqueue. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final int MAX_ERROR_LENGTH = 2000;

	private final OutboxRepository repository;

	private final TransactionTemplate transactions;

	private final WavePublisher waves;

	private final MessagingProperties.Outbox settings;

	private final RetryBackoff backoff;

	private final OutboxMetrics metrics;

	private final OutboxHousekeeping housekeeping;

	private final String name;

	private final AtomicBoolean nudged = new AtomicBoolean();

	private volatile boolean running;

	/** Set by {@link #stop()}: the batch in progress starts no further wave. */
	private volatile boolean stopping;

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
		Map<Channel, OutboxPublisher> byChannel = new EnumMap<>(Channel.class);
		publishers.forEach((publisher) -> byChannel.put(publisher.channel(), publisher));
		this.waves = new WavePublisher(byChannel, spans, settings.publishTimeout());
		this.settings = settings;
		this.backoff = new RetryBackoff(settings.retryInitialDelay(), settings.retryMultiplier(),
				settings.retryMaxDelay());
		this.metrics = metrics;
		this.housekeeping = housekeeping;
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
	 * Locks a batch, publishes it in waves ({@link WavePublisher}: one order's rows in sequence, the rest of an
	 * order held back after a failure, the rest of a broker's rows after it turned out unavailable), then, in
	 * the same transaction, marks the acknowledged rows sent in one statement and records each failure, and
	 * commits. A row is marked sent only after its broker acknowledged it.
	 * @return how many rows the batch locked
	 */
	int relayOneBatch() {
		Integer locked = this.transactions.execute((status) -> {
			List<PendingMessage> batch = this.repository.lockNextBatch(this.settings.batchSize());
			if (batch.isEmpty()) {
				return 0;
			}
			// Shutting down: no new wave starts; what was not sent stays unsent and is unlocked by the commit.
			WavePublisher.Outcome outcome = this.waves.publish(batch, () -> !this.stopping);
			recordSent(outcome.acknowledged());
			outcome.failures().forEach(this::recordFailure);
			return batch.size();
		});
		return locked == null ? 0 : locked;
	}

	private void recordSent(List<PendingMessage> acknowledged) {
		if (acknowledged.isEmpty()) {
			return;
		}
		this.repository.markSent(acknowledged.stream().map(PendingMessage::id).toList());
		acknowledged.forEach((message) -> this.metrics.published(message.channel()));
	}

	private void recordFailure(WavePublisher.Failure failed) {
		PendingMessage message = failed.message();
		PublishFailedException failure = failed.failure();
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
	}

	@Override
	public void start() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "outbox-relay-" + this.name);
			thread.setDaemon(true); // never keeps a JVM alive whose context was not closed
			return thread;
		});
		this.scheduler = executor;
		this.stopping = false;
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
		this.stopping = true;
		ScheduledThreadPoolExecutor executor = this.scheduler;
		if (executor == null) {
			return;
		}
		// Periodic runs are cancelled; a run in progress finishes the wave it is waiting for and commits.
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
