package com.example.shop.order;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import com.example.shop.order.SagaState.AwaitingPayment;
import com.example.shop.order.SagaState.Cancelled;
import com.example.shop.order.SagaState.Compensating;
import com.example.shop.order.SagaState.Confirmed;
import com.example.shop.order.SagaState.Confirming;
import com.example.shop.order.SagaState.Failed;
import com.example.shop.order.SagaState.Pending;
import com.example.shop.order.SagaState.Refunding;

/**
 * A {@link SagaState} as the columns of its order row, and back: the status, the cancellation reason, and the
 * few facts a state keeps (a column no state uses is false or null). Reading a row always yields one of the
 * states; a row no state can come from (a CANCELLED without reason) is refused, never guessed.
 */
record SagaStateColumns(OrderStatus status, @Nullable CancellationReason reason, boolean paymentRequested,
		boolean stockConfirmed, boolean paymentCaptured, boolean stockReleased, boolean paymentVoided,
		boolean stockReturned, boolean paymentRefunded, @Nullable Instant confirmedAt) {

	static SagaStateColumns of(SagaState state) {
		return switch (state) {
			case Pending pending -> only(state, false);
			case AwaitingPayment awaiting -> only(state, true);
			case Confirming c -> new SagaStateColumns(state.status(), null, true, c.stockConfirmed(), c.paymentCaptured(),
					false, false, false, false, null);
			case Compensating c -> new SagaStateColumns(state.status(), c.reason(), c.paymentRequested(), false, false,
					c.stockReleased(), c.paymentVoided(), false, false, null);
			case Refunding r -> new SagaStateColumns(state.status(), r.reason(), true, true, true, false, false,
					r.stockReturned(), r.paymentRefunded(), r.confirmedAt());
			case Confirmed c -> new SagaStateColumns(state.status(), null, true, true, true, false, false, false, false,
					c.confirmedAt());
			case Cancelled c -> new SagaStateColumns(state.status(), c.reason(), c.paymentRequested(), false, false, false,
					false, false, false, null);
			case Failed f -> new SagaStateColumns(state.status(), f.reason(), false, false, false, false, false, false,
					false, null);
		};
	}

	private static SagaStateColumns only(SagaState state, boolean paymentRequested) {
		return new SagaStateColumns(state.status(), null, paymentRequested, false, false, false, false, false, false,
				null);
	}

	SagaState state() {
		return switch (this.status) {
			case PENDING -> new Pending();
			case AWAITING_PAYMENT -> new AwaitingPayment();
			case CONFIRMING -> new Confirming(this.stockConfirmed, this.paymentCaptured);
			case COMPENSATING -> new Compensating(required(this.reason), this.paymentRequested, this.stockReleased,
					this.paymentVoided);
			case REFUNDING -> new Refunding(required(this.confirmedAt), this.stockReturned, this.paymentRefunded);
			case CONFIRMED -> new Confirmed(required(this.confirmedAt));
			case CANCELLED -> new Cancelled(required(this.reason), this.paymentRequested);
			case FAILED -> new Failed(this.reason);
		};
	}

	private <T> T required(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("an order row " + this.status + " lacks what that state needs: " + this);
		}
		return value;
	}

}
