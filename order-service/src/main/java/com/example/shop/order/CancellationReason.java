package com.example.shop.order;

/** Why an order was cancelled (docs/api.md): part of the public API, never renamed. */
public enum CancellationReason {

	/** Inventory could not hold every line. */
	OUT_OF_STOCK,

	/** The payment provider declined the authorization. */
	PAYMENT_DECLINED,

	/** A saga step got no answer before its deadline. */
	TIMEOUT,

	/** The customer cancelled while the order was still cancellable. */
	CUSTOMER_REQUEST,

	/** A confirmed order was cancelled within the refund window: the stock came back, the payment was refunded. */
	REFUNDED

}
