package com.example.shop.notification.live;

import java.util.Optional;

/**
 * The statuses of an order as the live WebSocket shows them: order-service's saga states. A final status never
 * changes again, so sessions on such an order are closed after a short while (see {@code web.OrderStatusSessions}).
 */
public enum OrderStatus {

	PENDING(false), AWAITING_PAYMENT(false), CONFIRMING(false), COMPENSATING(false), CONFIRMED(true),
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
