package com.example.shop.inventory.stock;

import java.util.UUID;

/** The units on hand were to be set below the units reserved for orders: those are promised. */
public class OnHandBelowReservedException extends RuntimeException {

	public OnHandBelowReservedException(UUID productId, int onHand, int reserved) {
		super("Cannot set on hand of product " + productId + " to " + onHand + ": " + reserved
				+ " units are reserved for orders; confirm or release them first");
	}

}
