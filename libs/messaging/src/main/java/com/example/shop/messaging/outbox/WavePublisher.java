package com.example.shop.messaging.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Publishes the rows of one locked batch in waves: wave k holds the k-th row of each order (correlation id)
 * in the batch. A wave is sent without waiting between messages, then its acknowledgements are awaited
 * together; the next wave starts only once every message of this one has its verdict. So a row is sent only
 * after the broker acknowledged the row before it of its order, and after a row fails the rest of its order
 * waits (for its retry, in a later batch) while the other orders go on.
 * <p>
 * Why waves rather than sending the whole batch and trusting the broker to keep one order's messages in
 * sequence: an order's messages may go to different topics, exchanges, even brokers, where no connection
 * orders them; and even where one would (Kafka's idempotent producer within a partition, a RabbitMQ channel),
 * a later message already on its way is not recalled when the one before it fails, so it would overtake the
 * retry. Orders have few rows per batch, so a batch takes a few round trips instead of one per row.
 * <p>
 * After a broker turns out unavailable, the rest of the batch for that broker waits for the next poll
 * instead of running into the same timeout again; its orders wait with it, whatever broker their later rows
 * go to. No database work here: the caller records the outcome.
 */
final class WavePublisher {

	/**
	 * Past the publishers' own timeouts (Kafka's delivery timeout, the RabbitMQ confirm timeout), which are
	 * the publish timeout: their verdict, with its reason, arrives before the wave stops waiting.
	 */
	static final Duration GRACE = Duration.ofSeconds(2);

	private final Map<Channel, OutboxPublisher> publishers;

	private final PublishSpans spans;

	private final Duration waveTimeout;

	WavePublisher(Map<Channel, OutboxPublisher> publishers, PublishSpans spans, Duration publishTimeout) {
		this.publishers = publishers;
		this.spans = spans;
		this.waveTimeout = publishTimeout.plus(GRACE);
	}

	/**
	 * @param keepGoing asked before each wave: false once the relay is stopping, and the rest stays unsent
	 */
	Outcome publish(List<PendingMessage> batch, BooleanSupplier keepGoing) {
		List<PendingMessage> acknowledged = new ArrayList<>();
		List<Failure> failures = new ArrayList<>();
		Set<String> haltedOrders = new HashSet<>();
		Set<Channel> unavailable = EnumSet.noneOf(Channel.class);
		for (List<PendingMessage> wave : waves(batch)) {
			if (!keepGoing.getAsBoolean()) {
				break;
			}
			List<InFlight> sent = new ArrayList<>();
			for (PendingMessage message : wave) {
				if (haltedOrders.contains(message.correlationId())) {
					continue;
				}
				if (unavailable.contains(message.channel())) {
					haltedOrders.add(message.correlationId()); // not tried: its successors must not overtake it
					continue;
				}
				InFlight inFlight = send(message);
				sent.add(inFlight);
				if (inFlight.brokerUnavailableAtOnce()) {
					unavailable.add(message.channel());
				}
			}
			long deadline = System.nanoTime() + this.waveTimeout.toNanos();
			for (InFlight inFlight : sent) {
				PublishFailedException failure = inFlight.await(deadline, this.waveTimeout);
				if (failure == null) {
					acknowledged.add(inFlight.message());
					continue;
				}
				failures.add(new Failure(inFlight.message(), failure));
				haltedOrders.add(inFlight.message().correlationId());
				if (failure.brokerUnavailable()) {
					unavailable.add(inFlight.message().channel());
				}
			}
		}
		return new Outcome(acknowledged, failures);
	}

	/** Wave k: the k-th row of each order, in the batch's (publishing) order. */
	static List<List<PendingMessage>> waves(List<PendingMessage> batch) {
		Map<String, Integer> rowsSoFar = new LinkedHashMap<>();
		List<List<PendingMessage>> waves = new ArrayList<>();
		for (PendingMessage message : batch) {
			int position = rowsSoFar.merge(message.correlationId(), 1, Integer::sum) - 1;
			if (position == waves.size()) {
				waves.add(new ArrayList<>());
			}
			waves.get(position).add(message);
		}
		return waves;
	}

	private InFlight send(PendingMessage message) {
		OutboxPublisher publisher = this.publishers.get(message.channel());
		PublishSpans.PublishSpan span = this.spans.start(message);
		CompletableFuture<Void> acknowledged;
		// Current while the publisher sends: the broker headers carry this span's context (see PublishSpans).
		try (PublishSpans.Scope scope = span.makeCurrent()) {
			acknowledged = (publisher != null) ? publisher.send(message)
					: CompletableFuture.failedFuture(new PublishFailedException("this service has no "
							+ message.channel().column() + " client (add its Spring Boot starter)", false));
		}
		catch (RuntimeException ex) {
			acknowledged = CompletableFuture.failedFuture(new PublishFailedException(ex.toString(), false, ex));
		}
		acknowledged.whenComplete((done, failure) -> span.end((failure == null) ? null : asPublishFailure(failure)));
		return new InFlight(message, acknowledged);
	}

	static PublishFailedException asPublishFailure(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return (cause instanceof PublishFailedException publishFailure) ? publishFailure
				: new PublishFailedException(cause.toString(), false, cause);
	}

	/** What a batch came to: the rows their broker acknowledged, and the rows that failed, with why. */
	record Outcome(List<PendingMessage> acknowledged, List<Failure> failures) {
	}

	record Failure(PendingMessage message, PublishFailedException failure) {
	}

	/** A message sent and not yet acknowledged. */
	private record InFlight(PendingMessage message, CompletableFuture<Void> acknowledged) {

		/** The broker was found unreachable in the send itself: the channel's other rows would only wait. */
		boolean brokerUnavailableAtOnce() {
			return this.acknowledged.isCompletedExceptionally() && verdict().brokerUnavailable();
		}

		/** @return null when acknowledged, else why not; a message with no verdict by the deadline failed */
		PublishFailedException await(long deadlineNanos, Duration waveTimeout) {
			try {
				this.acknowledged.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
				return null;
			}
			catch (ExecutionException ex) {
				return asPublishFailure(ex);
			}
			catch (TimeoutException ex) {
				return giveUp(new PublishFailedException(this.message.channel().column() + " did not acknowledge within "
						+ waveTimeout.toMillis() + " ms", true, ex));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return giveUp(new PublishFailedException("interrupted while waiting for " + this.message.channel().column(),
						true, ex));
			}
		}

		/** Settles the future with this failure (which ends its span), unless the verdict came meanwhile. */
		private PublishFailedException giveUp(PublishFailedException failure) {
			if (this.acknowledged.completeExceptionally(failure)) {
				return failure;
			}
			return verdict();
		}

		/** Of a completed future: null when acknowledged, else why not. */
		private PublishFailedException verdict() {
			Throwable failure = this.acknowledged.handle((done, thrown) -> thrown).join();
			return (failure == null) ? null : asPublishFailure(failure);
		}

	}

}
