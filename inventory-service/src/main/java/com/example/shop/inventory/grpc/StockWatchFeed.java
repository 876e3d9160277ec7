package com.example.shop.inventory.grpc;

import com.example.shop.inventory.stock.StockChangeListener;
import com.example.shop.inventory.stock.StockChanged;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Feeds WatchStock with the stock changes of this replica, once their transaction has committed: a change
 * that rolls back (a rejected reservation's partial holds, a failed transaction) is never seen by a
 * watcher. The broadcast only queues, so the committing thread is not held up by any client.
 */
@Component
class StockWatchFeed implements StockChangeListener {

	private final StockWatchers watchers;

	StockWatchFeed(StockWatchers watchers) {
		this.watchers = watchers;
	}

	@Override
	public void stockChanged(StockChanged change) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				StockWatchFeed.this.watchers.broadcast(change);
			}
		});
	}

}
