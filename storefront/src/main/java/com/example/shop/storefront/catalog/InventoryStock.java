package com.example.shop.storefront.catalog;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * inventory-service's stock as the product pages need it: a product's level now, and every change as it happens. A
 * port: {@link StockWatch} asks through it; the adapter in {@code catalog.client} reads the level through the
 * gateway's public API and the changes from inventory's {@code WatchStock} gRPC stream.
 */
public interface InventoryStock {

	/** The product's available units now; empty when they cannot be read now (no stock, the gateway refusing or away). */
	Optional<Integer> available(UUID product);

	/**
	 * Opens one stream of every product's stock changes, which ends at the latest after {@code lifetime}:
	 * {@code changes} hears each change, then exactly one of {@link StockChanges#expired}, {@link StockChanges#completed}
	 * and {@link StockChanges#failed}. Returns at once; the stream is read on the adapter's threads.
	 */
	void watch(Duration lifetime, StockChanges changes);

	/** What one stream tells. */
	interface StockChanges {

		void changed(UUID product, int available);

		/** The stream reached its lifetime. */
		void expired();

		/** inventory ended the stream. */
		void completed();

		/** The stream broke (inventory unreachable or gone away, a refusal). */
		void failed(Throwable failure);

	}

}
