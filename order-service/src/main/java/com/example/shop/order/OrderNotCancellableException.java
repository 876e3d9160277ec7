package com.example.shop.order;

/**
 * A cancel the order's state does not allow: while CONFIRMING, once FAILED, or once a CONFIRMED order's refund
 * window has passed. The REST edge answers 409.
 */
public class OrderNotCancellableException extends RuntimeException {

	OrderNotCancellableException(String message, IllegalOrderTransitionException cause) {
		super(message, cause);
	}

}
