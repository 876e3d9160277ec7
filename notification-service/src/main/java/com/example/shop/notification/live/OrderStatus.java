package com.example.shop.notification.live;

import java.util.Optional;

/**
 * The statuses of an order as the live WebSocket shows them: order-service's saga states. After a final status
 * nothing happens by itself, so sessions on such an order are closed after a short while (see
 * {@code web.OrderStatusSessions}). CONFIRMED is final although a refund may follow: that is a new request of the
 * customer (or an admin), maybe days later, not a step of the saga to wait for; a client that asks for it
 * connects again and is told REFUNDING (reason REFUNDED), then CANCELLED.
 */
public enum OrderStatus {

	PENDING(false), AWAITING_PAYMENT(false), CONFIRMING(false), COMPENSATING(false), CONFIRMED(true),
	/** A confirmed order being cancelled: its payment refunded and its stock returned; ends CANCELLED. */
	REFUNDING(false),
	CANCELLED(true), FAILED(true);

	private final boolean isFinal;

	OrderStatus(boolean isFinal) {
		this.isFinal = isFinal;
	}

	public boolean isFinal() {
		return this.isFinal;
	}

	/** Empty for null or a status this version does not know (a newer order-service), which is then ignored. */
	public static Optional<OrderStatus> parse(String value) {
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(valueOf(value));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
