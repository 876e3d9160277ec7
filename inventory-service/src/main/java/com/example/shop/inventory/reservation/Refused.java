package com.example.shop.inventory.reservation;

import java.util.UUID;

/**
 * A confirm or release that the reservation's state does not allow; nothing changed. The saga decides what
 * to do (retry later, compensate differently, or fail the order for an operator).
 */
public record Refused(UUID orderId, Reason reason) implements ConfirmOutcome, ReleaseOutcome {

	public enum Reason {

		/** Confirm of an order that has no reservation. */
		UNKNOWN_ORDER,

		/** Release of a reservation whose stock already left. */
		CONFIRMED,

		/** Confirm of a released reservation. */
		RELEASED,

		/** Confirm of an expired reservation. */
		EXPIRED,

		/** Confirm of a reservation that was rejected (nothing was ever held). */
		REJECTED

	}

}
