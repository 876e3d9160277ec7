package com.example.shop.inventory.reservation;

import java.util.UUID;

/** The answer to {@link StockReservations#release}: the same one again for a redelivered command. */
public sealed interface ReleaseOutcome permits ReleaseOutcome.Released, Refused {

	UUID orderId();

	/**
	 * Nothing is held for the order any more: its stock was given back now or earlier, it expired, it was
	 * never reserved (rejected), or the order was unknown and a tombstone now refuses a late reserve.
	 */
	record Released(UUID orderId) implements ReleaseOutcome {
	}

}
