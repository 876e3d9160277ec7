package com.example.shop.inventory.reservation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The answer to {@link StockReservations#reserve}: the same one again for a redelivered command. */
public sealed interface ReserveOutcome permits ReserveOutcome.Reserved, ReserveOutcome.Rejected {

	UUID orderId();

	/**
	 * Every line is held (or, when asked again, was held and has since been confirmed, and maybe returned).
	 * @param lines what is held, one line per product, sorted by product id
	 * @param expiresAt from when on the sweeper may give the stock back unless confirmed or released
	 */
	record Reserved(UUID orderId, List<ReservationLine> lines, Instant expiresAt) implements ReserveOutcome {

		public Reserved {
			lines = List.copyOf(lines);
		}

	}

	/**
	 * Nothing is held for the order.
	 * @param lines for OUT_OF_STOCK the short lines, for UNKNOWN_PRODUCT the unknown ones (available 0);
	 * empty for RELEASED and EXPIRED
	 */
	record Rejected(UUID orderId, RejectionReason reason, List<ShortLine> lines) implements ReserveOutcome {

		public Rejected {
			lines = List.copyOf(lines);
		}

	}

	/** Why a reserve was refused. */
	enum RejectionReason {

		/** At least one line asks for more than is available (the others are not held either). */
		OUT_OF_STOCK,

		/** At least one product has no stock record. Takes precedence over OUT_OF_STOCK. */
		UNKNOWN_PRODUCT,

		/**
		 * The order's reservation was released already, possibly before this reserve arrived (a compensation
		 * that overtook the command it compensates): the saga gave up on it, so nothing is held now.
		 */
		RELEASED,

		/** The order's reservation expired; its stock was given back. */
		EXPIRED

	}

	/** A line that could not be held: how many units were asked for, how many were available then. */
	record ShortLine(UUID productId, int requested, int available) {
	}

}
