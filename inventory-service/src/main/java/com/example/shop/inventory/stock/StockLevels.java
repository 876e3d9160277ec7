package com.example.shop.inventory.stock;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.example.shop.inventory.catalog.CatalogUnavailableException;
import com.example.shop.inventory.catalog.ProductCatalog;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reading stock and setting the quantity on hand (operators, after a delivery or a stock count).
 * Reservations change stock through {@code StockReservations}.
 */
@Service
public class StockLevels {

	/** A sanity limit that catches a typo (an extra digit or two); the column holds more. */
	public static final int MAX_ON_HAND = 1_000_000;

	private final StockRepository repository;

	private final StockChanges changes;

	private final TransactionTemplate transactions;

	private final ProductCatalog catalog;

	StockLevels(StockRepository repository, StockChanges changes, TransactionTemplate transactions,
			ProductCatalog catalog) {
		this.repository = repository;
		this.changes = changes;
		this.transactions = transactions;
		this.catalog = catalog;
	}

	public Optional<Stock> find(UUID productId) {
		return this.repository.find(productId);
	}

	/** Available units per product, in one query; products without stock are left out. */
	public Map<UUID, Integer> available(Collection<UUID> productIds) {
		return this.repository.findAvailable(productIds);
	}

	/**
	 * {@link #setOnHand}, for an operator's request: a stock record is created only for a product the catalog has.
	 * A product that has stock needs no question to product-service, so changing its stock never depends on the
	 * catalog being up.
	 * @throws ProductNotInCatalogException when the product has no stock and the catalog does not know it
	 * @throws CatalogUnavailableException when the product has no stock and the catalog cannot say now
	 * @throws OnHandBelowReservedException when fewer units than are reserved for orders
	 */
	public OnHandUpdate setOnHandOfCatalogProduct(UUID productId, int onHand) {
		if (find(productId).isEmpty() && !this.catalog.exists(productId)) {
			throw new ProductNotInCatalogException(productId);
		}
		return setOnHand(productId, onHand);
	}

	/**
	 * Sets the units on hand of a product, creating its stock row when it has none (so stock for a product
	 * added to the catalog is entered the same way as a correction). Refused when fewer units than are reserved
	 * for orders: those units are promised; release or confirm them first.
	 * @throws OnHandBelowReservedException when fewer units than are reserved for orders
	 */
	public OnHandUpdate setOnHand(UUID productId, int onHand) {
		if (onHand < 0 || onHand > MAX_ON_HAND) {
			throw new IllegalArgumentException("on hand must be between 0 and " + MAX_ON_HAND + ", got " + onHand);
		}
		return this.transactions.execute(tx -> {
			OnHandUpdate update = write(productId, onHand);
			this.changes.publish(update.stock().changed());
			return update;
		});
	}

	private OnHandUpdate write(UUID productId, int onHand) {
		Optional<Stock> updated = this.repository.updateOnHand(productId, onHand);
		if (updated.isPresent()) {
			return new OnHandUpdate(updated.get(), false);
		}
		Optional<Stock> created = this.repository.insert(productId, onHand);
		if (created.isPresent()) {
			return new OnHandUpdate(created.get(), true);
		}
		// The row exists: either more is reserved than asked for, or another request created it after our
		// first UPDATE found nothing. One more conditional update tells which.
		return this.repository.updateOnHand(productId, onHand)
			.map(stock -> new OnHandUpdate(stock, false))
			.orElseThrow(() -> belowReserved(productId, onHand));
	}

	private OnHandBelowReservedException belowReserved(UUID productId, int onHand) {
		int reserved = this.repository.find(productId).map(Stock::reserved).orElse(0);
		return new OnHandBelowReservedException(productId, onHand, reserved);
	}

	/** The stock after {@link #setOnHand}, and whether its row was created by it. */
	public record OnHandUpdate(Stock stock, boolean created) {
	}

}
