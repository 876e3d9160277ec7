package com.example.shop.inventory.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.example.shop.inventory.stock.StockChangeListener;
import com.example.shop.inventory.stock.StockChanged;

import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A second real listener next to the gRPC feed, as the outbox adapter will be: remembers every change it was
 * handed and whether a transaction was active at that moment.
 */
public class RecordingStockChangeListener implements StockChangeListener {

	private final List<Handed> handed = new CopyOnWriteArrayList<>();

	@Override
	public void stockChanged(StockChanged change) {
		this.handed.add(new Handed(change, TransactionSynchronizationManager.isActualTransactionActive()));
	}

	public List<Handed> handed() {
		return List.copyOf(this.handed);
	}

	public void clear() {
		this.handed.clear();
	}

	public record Handed(StockChanged change, boolean inTransaction) {
	}

}
