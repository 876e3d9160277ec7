package com.example.shop.payment;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a {@link Payment} and the only transitions between them:
 *
 * <pre>
 * PENDING    -> AUTHORIZED | DECLINED | VOIDED
 * AUTHORIZED -> CAPTURED | VOIDED
 * CAPTURED   -> REFUNDED
 * DECLINED, VOIDED, REFUNDED: final
 * </pre>
 *
 * {@code PENDING} is internal: the row exists (so the order's one payment is claimed) but the provider's
 * answer is not recorded yet, because the call is in flight, timed out, or the process died before
 * recording it. A retry of the authorization resolves it by asking the provider again with the same
 * idempotency key; a void resolves it for good. The REST API does not show PENDING payments.
 */
public enum PaymentStatus {

	PENDING, AUTHORIZED, DECLINED, CAPTURED, VOIDED, REFUNDED;

	public boolean canMoveTo(PaymentStatus target) {
		return next().contains(target);
	}

	private Set<PaymentStatus> next() {
		return switch (this) {
			case PENDING -> EnumSet.of(AUTHORIZED, DECLINED, VOIDED);
			case AUTHORIZED -> EnumSet.of(CAPTURED, VOIDED);
			case CAPTURED -> EnumSet.of(REFUNDED);
			case DECLINED, VOIDED, REFUNDED -> EnumSet.noneOf(PaymentStatus.class);
		};
	}

}
