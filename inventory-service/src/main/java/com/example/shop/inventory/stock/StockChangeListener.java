package com.example.shop.inventory.stock;

/**
 * Told about every stock change, inside the transaction that makes it: an implementation that writes to
 * the same database (a transactional outbox) commits or rolls back together with the change. One that acts
 * outside the database must wait for the commit itself (see the gRPC watch feed), because the change may
 * still roll back.
 * <p>
 * Every {@code StockChangeListener} bean is called, in {@code @Order}; an exception rolls the change back.
 */
public interface StockChangeListener {

	void stockChanged(StockChanged change);

}
