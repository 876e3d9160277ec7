package com.example.shop.order;

import java.util.UUID;

/** A transition the order's state does not allow, e.g. a customer cancel once the order is CONFIRMING. */
public class IllegalOrderTransitionException extends RuntimeException {

	private final UUID orderId;

	private final OrderStatus status;

	public IllegalOrderTransitionException(UUID orderId, OrderStatus status, String transition) {
		super("order " + orderId + " is " + status + ": cannot " + transition);
		this.orderId = orderId;
		this.status = status;
	}

	public UUID getOrderId() {
		return this.orderId;
	}

	public OrderStatus getStatus() {
		return this.status;
	}

}
