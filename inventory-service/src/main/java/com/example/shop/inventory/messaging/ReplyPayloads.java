package com.example.shop.inventory.messaging;

import java.util.List;
import java.util.UUID;

import com.example.shop.inventory.reservation.ConfirmOutcome;
import com.example.shop.inventory.reservation.Refused;
import com.example.shop.inventory.reservation.ReleaseOutcome;
import com.example.shop.inventory.reservation.ReserveOutcome;

/**
 * The replies on {@code inventory.replies}, payload schema version 1 (docs/messaging.md), one per outcome of
 * the reservation seam.
 */
final class ReplyPayloads {

	static final int VERSION = 1;

	private ReplyPayloads() {
	}

	/** A reply's message type and payload. */
	record Reply(String type, Object payload) {

		static Reply to(ReserveOutcome outcome) {
			return switch (outcome) {
				case ReserveOutcome.Reserved reserved -> new Reply("StockReserved", new StockReserved(reserved.orderId()));
				case ReserveOutcome.Rejected rejected -> new Reply("StockRejected",
						new StockRejected(rejected.orderId(), rejected.reason().name(), rejected.lines()
							.stream()
							.map((line) -> new RejectedLine(line.productId(), line.requested(), line.available()))
							.toList()));
			};
		}

		static Reply to(ConfirmOutcome outcome) {
			return switch (outcome) {
				case ConfirmOutcome.Confirmed confirmed -> new Reply("ReservationConfirmed",
						new ReservationConfirmed(confirmed.orderId()));
				case Refused refused -> refused(refused);
			};
		}

		static Reply to(ReleaseOutcome outcome) {
			return switch (outcome) {
				case ReleaseOutcome.Released released -> new Reply("ReservationReleased",
						new ReservationReleased(released.orderId()));
				case Refused refused -> refused(refused);
			};
		}

		private static Reply refused(Refused refused) {
			return new Reply("ReservationRefused", new ReservationRefused(refused.orderId(), refused.reason().name()));
		}

	}

	/** Every line is held for the order. */
	record StockReserved(UUID orderId) {
	}

	/**
	 * Nothing is held for the order.
	 * @param reason OUT_OF_STOCK, UNKNOWN_PRODUCT, RELEASED or EXPIRED
	 * @param lines the offending lines (short or unknown products); empty for RELEASED and EXPIRED
	 */
	record StockRejected(UUID orderId, String reason, List<RejectedLine> lines) {
	}

	record RejectedLine(UUID productId, int requested, int available) {
	}

	record ReservationConfirmed(UUID orderId) {
	}

	record ReservationReleased(UUID orderId) {
	}

	/**
	 * A confirm or release the reservation's state does not allow; nothing changed.
	 * @param status why: UNKNOWN_ORDER, CONFIRMED, RELEASED, EXPIRED or REJECTED
	 */
	record ReservationRefused(UUID orderId, String status) {
	}

}
