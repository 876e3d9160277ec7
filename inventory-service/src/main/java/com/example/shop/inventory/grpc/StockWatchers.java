package com.example.shop.inventory.grpc;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.example.shop.inventory.stock.StockChanged;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The open WatchStock streams of this replica, and the fan-out of committed stock changes to them. The
 * changes come from the stock-change topic (the messaging adapter's {@code StockWatchFeed}), so they are the
 * committed changes of every replica.
 * <p>
 * {@link #broadcast} only queues (see {@link StockWatcher}), so a slow or vanished client never holds up the
 * feed, and at most {@code inventory.watch.max-watchers} streams are open at once. Changes are handed on in
 * version order per product: one that is not newer than a change of the same product already broadcast (a
 * redelivered record, a message the outbox published twice) is dropped, so a watcher never sees a product go
 * back in time nor the same change twice.
 */
@Component
public class StockWatchers {

	private final WatchProperties properties;

	private final Set<StockWatcher> watchers = ConcurrentHashMap.newKeySet();

	/** Guarded by this: the newest version broadcast per product (one entry per product that changed). */
	private final Map<UUID, Long> newestBroadcast = new HashMap<>();

	/** Sends to the clients; virtual threads, one short task per drain. */
	private final ExecutorService drains = Executors.newVirtualThreadPerTaskExecutor();

	StockWatchers(WatchProperties properties) {
		this.properties = properties;
	}

	/**
	 * Registers a stream; it receives every change of {@code productIds} (empty: of every product) committed
	 * from now on, until the client cancels or the server shuts down.
	 * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED when this replica has too many watchers
	 */
	StockWatcher open(ServerCallStreamObserver<com.example.shop.proto.inventory.v1.StockChanged> stream,
			Set<UUID> productIds) {
		StockWatcher watcher = new StockWatcher(stream, productIds, this.properties.bufferSize(), this.drains,
				this.watchers::remove);
		synchronized (this) {
			if (this.watchers.size() >= this.properties.maxWatchers()) {
				throw Status.RESOURCE_EXHAUSTED
					.withDescription("too many stock watchers on this instance (" + this.properties.maxWatchers()
							+ "); retry later")
					.asRuntimeException();
			}
			this.watchers.add(watcher);
		}
		// Set before the service method returns, as gRPC requires.
		stream.setOnCancelHandler(watcher::cancelled);
		stream.setOnReadyHandler(watcher::scheduleDrain);
		return watcher;
	}

	/** Hands a committed change to every watcher of its product; returns at once. */
	public synchronized void broadcast(StockChanged change) {
		Long newest = this.newestBroadcast.get(change.productId());
		if (newest != null && newest >= change.version()) {
			return;
		}
		this.newestBroadcast.put(change.productId(), change.version());
		for (StockWatcher watcher : this.watchers) {
			watcher.offer(change);
		}
	}

	int count() {
		return this.watchers.size();
	}

	/** The version of the newest change of the product handed to the watchers, or null: for tests. */
	synchronized Long newestVersion(UUID productId) {
		return this.newestBroadcast.get(productId);
	}

	/**
	 * Ends every stream when the application shuts down. ContextClosedEvent comes before the gRPC server
	 * stops, whose graceful shutdown would otherwise wait its whole grace period for these endless calls.
	 */
	@EventListener(ContextClosedEvent.class)
	void completeAll() {
		for (StockWatcher watcher : this.watchers) {
			watcher.complete();
		}
	}

}
