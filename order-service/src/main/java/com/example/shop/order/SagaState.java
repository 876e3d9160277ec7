package com.example.shop.order;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where an order's saga is, with exactly what that state needs to know and nothing that could contradict it:
 * one record per state (docs/saga.md). The order row stores it as a status plus the few columns the state
 * uses ({@link OrderRepository}); a state is never inferred from a combination of flags.
 */
public sealed interface SagaState {

	OrderStatus status();

	/** The cancellation reason once the saga decided to cancel (already while compensating), else null. */
	default @Nullable CancellationReason reason() {
		return null;
	}

	/** Stored; ReserveStock sent; waiting for StockReserved or StockRejected. */
	record Pending() implements SagaState {

		@Override
		public OrderStatus status() {
			return OrderStatus.PENDING;
		}

	}

	/** Stock held; AuthorizePayment sent; waiting for PaymentAuthorized or PaymentDeclined. */
	record AwaitingPayment() implements SagaState {

		@Override
		public OrderStatus status() {
			return OrderStatus.AWAITING_PAYMENT;
		}

	}

	/** ConfirmReservation and CapturePayment sent; done when both were answered. */
	record Confirming(boolean stockConfirmed, boolean paymentCaptured) implements SagaState {

		@Override
		public OrderStatus status() {
			return OrderStatus.CONFIRMING;
		}

		boolean complete() {
			return this.stockConfirmed && this.paymentCaptured;
		}

	}

	/**
	 * Cancelling: ReleaseReservation sent, and VoidPayment whenever AuthorizePayment was; done when both were
	 * answered.
	 * @param paymentRequested whether AuthorizePayment was sent, so there is an authorization to void
	 */
	record Compensating(CancellationReason reason, boolean paymentRequested, boolean stockReleased,
			boolean paymentVoided) implements SagaState {

		public Compensating {
			Objects.requireNonNull(reason, "reason");
		}

		@Override
		public OrderStatus status() {
			return OrderStatus.COMPENSATING;
		}

		boolean complete() {
			return this.stockReleased && (!this.paymentRequested || this.paymentVoided);
		}

	}

	/** A confirmed order being refunded: ReturnStock and RefundPayment sent; done when both were answered. */
	record Refunding(Instant confirmedAt, boolean stockReturned, boolean paymentRefunded) implements SagaState {

		@Override
		public OrderStatus status() {
			return OrderStatus.REFUNDING;
		}

		@Override
		public CancellationReason reason() {
			return CancellationReason.REFUNDED;
		}

		boolean complete() {
			return this.stockReturned && this.paymentRefunded;
		}

	}

	/** Terminal unless refunded: the stock left, the payment is captured. */
	record Confirmed(Instant confirmedAt) implements SagaState {

		public Confirmed {
			Objects.requireNonNull(confirmedAt, "confirmedAt");
		}

		@Override
		public OrderStatus status() {
			return OrderStatus.CONFIRMED;
		}

	}

	/**
	 * Terminal: nothing is held or charged.
	 * @param paymentRequested whether AuthorizePayment was ever sent: a late authorization must then be voided
	 */
	record Cancelled(CancellationReason reason, boolean paymentRequested) implements SagaState {

		public Cancelled {
			Objects.requireNonNull(reason, "reason");
		}

		@Override
		public OrderStatus status() {
			return OrderStatus.CANCELLED;
		}

	}

	/** Terminal: a confirmation, compensation or refund could not complete; an operator's case. */
	record Failed(@Nullable CancellationReason reason) implements SagaState {

		@Override
		public OrderStatus status() {
			return OrderStatus.FAILED;
		}

	}

}
