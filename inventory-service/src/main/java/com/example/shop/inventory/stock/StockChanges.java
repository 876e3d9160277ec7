package com.example.shop.inventory.stock;

import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Hands every stock change to every {@link StockChangeListener}, within the transaction that made it. */
@Component
public class StockChanges {

	private final List<StockChangeListener> listeners;

	StockChanges(List<StockChangeListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	public void publish(StockChanged change) {
		// Listeners rely on it: an outbox row must commit with the change, an after-commit hook needs one.
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("stock changes are published inside the transaction that makes them");
		}
		for (StockChangeListener listener : this.listeners) {
			listener.stockChanged(change);
		}
	}

}
