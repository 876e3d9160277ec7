package com.example.shop.payment;

/** What can happen to a payment after its authorization, and the status each step leads to. */
public enum PaymentStep {

	/** Takes the authorized money: AUTHORIZED -> CAPTURED. */
	CAPTURE(PaymentStatus.CAPTURED),

	/**
	 * Makes sure no money is held for the order: AUTHORIZED -> VOIDED, or PENDING -> VOIDED while the
	 * authorization's outcome is unknown (the provider then refuses that authorization for good). A declined
	 * payment holds nothing, so voiding it has nothing left to do.
	 */
	VOID(PaymentStatus.VOIDED),

	/** Gives captured money back: CAPTURED -> REFUNDED. */
	REFUND(PaymentStatus.REFUNDED);

	private final PaymentStatus target;

	PaymentStep(PaymentStatus target) {
		this.target = target;
	}

	public PaymentStatus target() {
		return this.target;
	}

	/** The name used in metrics and logs: capture, void, refund. */
	public String operation() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
