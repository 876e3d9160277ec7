package com.example.shop.inventory.stock;

/**
 * Told about every stock change, inside the transaction that makes it: an implementation that writes to
 * the same database (the transactional outbox of {@code messaging.StockChangePublisher}) commits or rolls back
 * together with the change. One that acts outside the database must wait for the commit itself, because the
 * change may still roll back (WatchStock is fed from the published messages for that reason).
 * <p>
 * Every {@code StockChangeListener} bean is called, in {@code @Order}; an exception rolls the change back.
 */
public interface StockChangeListener {

	void stockChanged(StockChanged change);

}
