package com.example.shop.inventory.messaging;

import java.util.List;
import java.util.UUID;

import com.example.shop.inventory.reservation.ReservationLine;

/**
 * The commands of {@code inventory.commands}, payload schema version 1 (docs/messaging.md), as this service
 * reads them. Payload classes belong to each service: fields this service does not need are ignored, and
 * missing or ill-typed ones make the message malformed (dead-lettered).
 */
final class CommandPayloads {

	static final int VERSION = 1;

	private CommandPayloads() {
	}

	/** What every command names: the order it is about. */
	sealed interface InventoryCommand permits ReserveStock, ConfirmReservation, ReleaseReservation {

		UUID orderId();

	}

	/** Hold every line for the order, or nothing. */
	record ReserveStock(UUID orderId, List<Line> lines) implements InventoryCommand {

		/** As the reservation seam takes them; null lines are refused by the seam. */
		List<ReservationLine> reservationLines() {
			return (this.lines == null) ? null : this.lines.stream()
				.map((line) -> (line == null) ? null : new ReservationLine(line.productId(), line.quantity()))
				.toList();
		}

	}

	record Line(UUID productId, int quantity) {
	}

	/** The held stock leaves the warehouse. */
	record ConfirmReservation(UUID orderId) implements InventoryCommand {
	}

	/**
	 * The held stock returns.
	 * @param reason the order's cancellation reason, for the log only (OUT_OF_STOCK, PAYMENT_DECLINED, TIMEOUT,
	 * CUSTOMER_REQUEST): a compensation is carried out whatever its reason, so an unknown or missing one is no
	 * reason to refuse it
	 */
	record ReleaseReservation(UUID orderId, String reason) implements InventoryCommand {
	}

}
