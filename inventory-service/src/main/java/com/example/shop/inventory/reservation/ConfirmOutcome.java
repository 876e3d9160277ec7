package com.example.shop.inventory.reservation;

import java.util.UUID;

/** The answer to {@link StockReservations#confirm}: the same one again for a redelivered command. */
public sealed interface ConfirmOutcome permits ConfirmOutcome.Confirmed, Refused {

	UUID orderId();

	/** The held stock left the warehouse (now or at an earlier delivery of the same command). */
	record Confirmed(UUID orderId) implements ConfirmOutcome {
	}

}
