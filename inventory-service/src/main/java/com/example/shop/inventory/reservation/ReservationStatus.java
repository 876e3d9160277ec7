package com.example.shop.inventory.reservation;

/** Where a reservation is; see the reservation table (V1 migration) and the README for the transitions. */
public enum ReservationStatus {

	/** Stock is held for the order until it is confirmed, released or expires. */
	RESERVED,

	/** The held stock left the warehouse; final unless the order is refunded and its stock comes back. */
	CONFIRMED,

	/** The held stock was given back, or the release came first and left a tombstone (terminal). */
	RELEASED,

	/** Neither confirmed nor released in time; the sweeper gave the stock back (terminal). */
	EXPIRED,

	/** The reserve was refused and nothing was held (terminal). */
	REJECTED,

	/**
	 * The stock of a confirmed reservation came back on hand: the order was refunded (terminal). Nothing is held,
	 * and the units that left are in the warehouse again.
	 */
	RETURNED

}
