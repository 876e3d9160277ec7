package com.example.shop.order;

/**
 * Where an order's saga is (docs/saga.md), as the API shows it; {@link SagaState} holds the rest of each state.
 * PENDING, AWAITING_PAYMENT, CONFIRMING, COMPENSATING and REFUNDING wait for replies and have a step deadline;
 * CONFIRMED, CANCELLED and FAILED do not (a CONFIRMED order may still be refunded).
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

	/** Terminal unless refunded: stock left the warehouse, the payment is captured. */
	CONFIRMED,

	/** A confirmed order cancelled within the refund window: {@code ReturnStock} and {@code RefundPayment} sent. */
	REFUNDING,

	/** Terminal: nothing is held or charged; {@code cancellationReason} says why. */
	CANCELLED,

	/** Terminal: a confirmation, compensation or refund could not complete; needs an operator (docs/runbook.md). */
	FAILED;

	/** No step waits: the saga ended (a CONFIRMED order may still start a refund). */
	public boolean isTerminal() {
		return this == CONFIRMED || this == CANCELLED || this == FAILED;
	}

}
