package com.example.shop.order.orders;

/**
 * Where an order's saga is (docs/saga.md). The first four wait for a reply and have a step deadline; the
 * last three are terminal.
 */
public enum OrderStatus {

	/** Stored, {@code ReserveStock} sent; waiting for StockReserved / StockRejected. */
	PENDING,

	/** Stock held, {@code AuthorizePayment} sent; waiting for PaymentAuthorized / PaymentDeclined. */
	AWAITING_PAYMENT,

	/** {@code ConfirmReservation} and {@code CapturePayment} sent; waiting for both replies. */
	CONFIRMING,

	/** Cancelling: {@code ReleaseReservation} (and {@code VoidPayment} if payment was asked) sent. */
	COMPENSATING,

	/** Terminal: stock left the warehouse, the payment is captured. */
	CONFIRMED,

	/** Terminal: nothing is held or charged; {@code cancellationReason} says why. */
	CANCELLED,

	/** Terminal: a confirmation or compensation could not complete; needs an operator (docs/runbook.md). */
	FAILED;

	public boolean isTerminal() {
		return this == CONFIRMED || this == CANCELLED || this == FAILED;
	}

}
