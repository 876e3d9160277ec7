package com.example.shop.inventory.grpc;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.example.shop.inventory.stock.StockChanged;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open WatchStock stream, with its own bounded queue of changes its client has not received yet.
 * <p>
 * Whoever hands in a change ({@link #offer}) never waits for this client: the change is queued and sent
 * from the drain executor, and only as fast as gRPC flow control says the client reads ({@code isReady()},
 * resumed by the on-ready handler). The queue holds at most one change per product: a newer change of a
 * product replaces the queued one (every change carries the whole state, so the client loses nothing it
 * needs). When more than {@code capacity} products have changes queued, the client is too far behind: the
 * stream is closed with RESOURCE_EXHAUSTED, and the client reconnects and reads the current levels.
 * <p>
 * Calls on the gRPC stream (onNext, onError, onCompleted) are made by one drain at a time, as the stream
 * requires.
 */
final class StockWatcher {

	private static final Logger log = LoggerFactory.getLogger(StockWatcher.class);

	private final ServerCallStreamObserver<com.example.shop.proto.inventory.v1.StockChanged> stream;

	/** Empty: every product. */
	private final Set<UUID> productIds;

	private final int capacity;

	private final Executor drainExecutor;

	private final Consumer<StockWatcher> onClosed;

	/** Guarded by this. */
	private final Map<UUID, StockChanged> queued = new LinkedHashMap<>();

	/** Guarded by this: the client fell too far behind. */
	private boolean overflowed;

	/** Guarded by this: the server is shutting down. */
	private boolean completing;

	/** Guarded by this: no more calls on the stream. */
	private boolean closed;

	private final AtomicBoolean drainScheduled = new AtomicBoolean();

	StockWatcher(ServerCallStreamObserver<com.example.shop.proto.inventory.v1.StockChanged> stream,
			Set<UUID> productIds, int capacity, Executor drainExecutor, Consumer<StockWatcher> onClosed) {
		this.stream = stream;
		this.productIds = Set.copyOf(productIds);
		this.capacity = capacity;
		this.drainExecutor = drainExecutor;
		this.onClosed = onClosed;
	}

	/** Queues the change if this client watches its product. Never blocks on the client. */
	void offer(StockChanged change) {
		if (!this.productIds.isEmpty() && !this.productIds.contains(change.productId())) {
			return;
		}
		synchronized (this) {
			if (this.closed) {
				return;
			}
			if (this.queued.containsKey(change.productId()) || this.queued.size() < this.capacity) {
				this.queued.put(change.productId(), change);
			}
			else {
				this.overflowed = true;
				this.queued.clear();
			}
		}
		scheduleDrain();
	}

	/** Ends the stream normally (the server is going down); the client reconnects elsewhere. */
	void complete() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.completing = true;
		}
		scheduleDrain();
	}

	/** The client cancelled or went away: gRPC will not take anything more for this stream. */
	void cancelled() {
		synchronized (this) {
			this.closed = true;
			this.queued.clear();
		}
		this.onClosed.accept(this);
	}

	/** Called by gRPC when the client can take more (and by {@link #offer}). */
	void scheduleDrain() {
		if (this.drainScheduled.compareAndSet(false, true)) {
			this.drainExecutor.execute(this::drain);
		}
	}

	private void drain() {
		try {
			Step step;
			while ((step = next()) != Step.IDLE) {
				switch (step) {
					case SEND -> send();
					case OVERFLOW -> close(Status.RESOURCE_EXHAUSTED
						.withDescription("the watcher fell more than " + this.capacity
								+ " products behind; reconnect and read the current stock")
						.asRuntimeException());
					case COMPLETE -> close(null);
					default -> throw new IllegalStateException(step.name());
				}
			}
		}
		catch (RuntimeException ex) {
			// The call ended under us (cancelled, transport gone): nothing more can be sent.
			log.debug("WatchStock stream failed, closing it: {}", ex.toString());
			synchronized (this) {
				this.closed = true;
				this.queued.clear();
			}
			this.onClosed.accept(this);
		}
		finally {
			this.drainScheduled.set(false);
		}
		// A change queued, or the stream turned ready, after next() said IDLE but before the flag was reset
		// found a drain still scheduled: look once more so it is not left waiting.
		if (next(false) != Step.IDLE) {
			scheduleDrain();
		}
	}

	private Step next() {
		return next(true);
	}

	private synchronized Step next(boolean claim) {
		if (this.closed) {
			return Step.IDLE;
		}
		if (this.overflowed) {
			if (claim) {
				this.closed = true;
			}
			return Step.OVERFLOW;
		}
		if (this.completing) {
			if (claim) {
				this.closed = true;
				this.queued.clear();
			}
			return Step.COMPLETE;
		}
		return (!this.queued.isEmpty() && this.stream.isReady()) ? Step.SEND : Step.IDLE;
	}

	private void send() {
		StockChanged change;
		synchronized (this) {
			Iterator<StockChanged> oldest = this.queued.values().iterator();
			if (!oldest.hasNext()) {
				return;
			}
			change = oldest.next();
			oldest.remove();
		}
		this.stream.onNext(ProtoMapping.toProto(change));
	}

	private void close(RuntimeException error) {
		if (error != null) {
			this.stream.onError(error);
		}
		else {
			this.stream.onCompleted();
		}
		this.onClosed.accept(this);
	}

	/** Pending changes, for tests and the log. */
	synchronized int queuedCount() {
		return this.queued.size();
	}

	private enum Step {

		IDLE, SEND, OVERFLOW, COMPLETE

	}

}
