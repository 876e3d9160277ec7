package com.example.shop.inventory.stock;

import java.time.Instant;
import java.util.UUID;

/**
 * A product's stock after a change: the whole new state, not a delta, so the latest change of a product is
 * all a consumer needs and a lost or coalesced earlier one does no harm.
 *
 * @param version the stock row's version after the change; grows by one per change of that product, so a
 * consumer can ignore a change older than one it already applied (changes of different transactions may be
 * handed on in another order than they committed)
 * @param at when the change was made (database clock)
 */
public record StockChanged(UUID productId, int onHand, int reserved, int available, long version, Instant at) {
}
