package com.example.shop.inventory.reservation;

import java.util.UUID;

/** The answer to {@link StockReservations#returnStock}: the same one again for a redelivered command. */
public sealed interface ReturnOutcome permits ReturnOutcome.Returned, Refused {

	UUID orderId();

	/**
	 * The stock that left the warehouse for the order is back on hand (now or at an earlier delivery of the
	 * same command).
	 */
	record Returned(UUID orderId) implements ReturnOutcome {
	}

}
