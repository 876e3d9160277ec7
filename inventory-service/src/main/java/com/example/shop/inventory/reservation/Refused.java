package com.example.shop.inventory.reservation;

import java.util.UUID;

/**
 * A confirm, release or return that the reservation's state does not allow; nothing changed. The saga decides
 * what to do (retry later, compensate differently, or fail the order for an operator).
 */
public record Refused(UUID orderId, Reason reason) implements ConfirmOutcome, ReleaseOutcome, ReturnOutcome {

	public enum Reason {

		/** Confirm or return of an order that has no reservation. */
		UNKNOWN_ORDER,

		/** Release of a reservation whose stock already left. */
		CONFIRMED,

		/** Confirm or return of a released reservation. */
		RELEASED,

		/** Confirm or return of an expired reservation. */
		EXPIRED,

		/** Confirm or return of a reservation that was rejected (nothing was ever held). */
		REJECTED,

		/**
		 * Return of a reservation that is still held: its stock never left the warehouse, so there is nothing to
		 * put back on hand. order-service fails such a refund for an operator (docs/runbook.md).
		 */
		RESERVED

	}

}
