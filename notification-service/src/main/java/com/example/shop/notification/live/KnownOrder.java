package com.example.shop.notification.live;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What is known of an order at a handshake: its status, and whose order it is ({@code customerId}, the subject of
 * that customer's tokens; null when the source did not say).
 */
public record KnownOrder(OrderStatusUpdate status, @Nullable UUID customerId) {

	/** The customer as {@link com.example.shop.security.Caller#mayRead} compares it; null when not known. */
	public @Nullable String owner() {
		return (this.customerId != null) ? this.customerId.toString() : null;
	}

}
