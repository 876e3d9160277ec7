package com.example.shop.payment;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The payment of one order: the aggregate. Immutable; every transition returns the payment in its new
 * state and refuses (with {@link IllegalPaymentTransitionException}) what {@link PaymentStatus} does not
 * allow, so no code path can capture a declined payment or refund an uncaptured one.
 * <p>
 * The timestamps of the steps double as "this step happened": a capture repeated after the refund is still
 * recognised as done ({@link #isDone(PaymentStep)}).
 */
public final class Payment {

	private final UUID id;

	private final UUID orderId;

	/**
	 * The customer the order belongs to (their token's subject), as order-service sent it with the authorization;
	 * null when it is not known (an old payment or command, a void before any authorization): admins only then.
	 */
	private final UUID customerId;

	/** Null only for a void that arrived before any authorization ({@link #voidedBeforeAuthorization}). */
	private final Money amount;

	private final PaymentStatus status;

	private final String declineReason;

	private final String providerReference;

	private final long version;

	private final Instant createdAt;

	private final Instant updatedAt;

	private final Instant authorizedAt;

	private final Instant capturedAt;

	private final Instant voidedAt;

	private final Instant refundedAt;

	private Payment(UUID id, UUID orderId, UUID customerId, Money amount, PaymentStatus status, String declineReason,
			String providerReference, long version, Instant createdAt, Instant updatedAt, Instant authorizedAt,
			Instant capturedAt, Instant voidedAt, Instant refundedAt) {
		this.id = Objects.requireNonNull(id);
		this.orderId = Objects.requireNonNull(orderId);
		this.customerId = customerId;
		this.amount = amount;
		this.status = Objects.requireNonNull(status);
		this.declineReason = declineReason;
		this.providerReference = providerReference;
		this.version = version;
		this.createdAt = Objects.requireNonNull(createdAt);
		this.updatedAt = Objects.requireNonNull(updatedAt);
		this.authorizedAt = authorizedAt;
		this.capturedAt = capturedAt;
		this.voidedAt = voidedAt;
		this.refundedAt = refundedAt;
	}

	/**
	 * A new payment whose authorization is about to be asked of the provider: PENDING.
	 * @param customerId the order's customer, null when the command did not say
	 */
	public static Payment startAuthorization(UUID id, UUID orderId, UUID customerId, Money amount, Instant now) {
		return new Payment(id, orderId, customerId, Objects.requireNonNull(amount), PaymentStatus.PENDING, null, null,
				0, now, now, null, null, null, null);
	}

	/**
	 * The void of an order whose authorization has not arrived yet (the saga compensated first): a VOIDED
	 * payment without amount that keeps the order's one payment slot, so a late authorization is refused
	 * instead of holding money for a cancelled order.
	 */
	public static Payment voidedBeforeAuthorization(UUID id, UUID orderId, Instant now) {
		return new Payment(id, orderId, null, null, PaymentStatus.VOIDED, null, null, 0, now, now, null, null, now,
				null);
	}

	/** A payment as stored; only the repository calls this. */
	static Payment restore(UUID id, UUID orderId, UUID customerId, Money amount, PaymentStatus status,
			String declineReason, String providerReference, long version, Instant createdAt, Instant updatedAt,
			Instant authorizedAt, Instant capturedAt, Instant voidedAt, Instant refundedAt) {
		return new Payment(id, orderId, customerId, amount, status, declineReason, providerReference, version,
				createdAt, updatedAt, authorizedAt, capturedAt, voidedAt, refundedAt);
	}

	// ---- transitions --------------------------------------------------------------------------

	/** The provider approved: PENDING -> AUTHORIZED. */
	public Payment authorize(String providerReference, Instant at) {
		requireTransition(PaymentStatus.AUTHORIZED);
		return new Payment(this.id, this.orderId, this.customerId, this.amount, PaymentStatus.AUTHORIZED, null,
				Objects.requireNonNull(providerReference), this.version, this.createdAt, at, at, null, null, null);
	}

	/** The provider declined: PENDING -> DECLINED. */
	public Payment decline(String reason, Instant at) {
		requireTransition(PaymentStatus.DECLINED);
		return new Payment(this.id, this.orderId, this.customerId, this.amount, PaymentStatus.DECLINED,
				Objects.requireNonNull(reason), null, this.version, this.createdAt, at, null, null, null, null);
	}

	/** AUTHORIZED -> CAPTURED. */
	public Payment capture(Instant at) {
		requireTransition(PaymentStatus.CAPTURED);
		return new Payment(this.id, this.orderId, this.customerId, this.amount, PaymentStatus.CAPTURED, null,
				this.providerReference, this.version, this.createdAt, at, this.authorizedAt, at, null, null);
	}

	/** AUTHORIZED -> VOIDED, or PENDING -> VOIDED (the authorization will never be granted). */
	public Payment voidAuthorization(Instant at) {
		requireTransition(PaymentStatus.VOIDED);
		return new Payment(this.id, this.orderId, this.customerId, this.amount, PaymentStatus.VOIDED, null,
				this.providerReference, this.version, this.createdAt, at, this.authorizedAt, null, at, null);
	}

	/** CAPTURED -> REFUNDED. */
	public Payment refund(Instant at) {
		requireTransition(PaymentStatus.REFUNDED);
		return new Payment(this.id, this.orderId, this.customerId, this.amount, PaymentStatus.REFUNDED, null,
				this.providerReference, this.version, this.createdAt, at, this.authorizedAt, this.capturedAt, null, at);
	}

	public Payment perform(PaymentStep step, Instant at) {
		return switch (step) {
			case CAPTURE -> capture(at);
			case VOID -> voidAuthorization(at);
			case REFUND -> refund(at);
		};
	}

	// ---- questions ----------------------------------------------------------------------------

	/** Whether the step can be taken from the current status. */
	public boolean allows(PaymentStep step) {
		return this.status.canMoveTo(step.target());
	}

	/**
	 * Whether what the step is for already holds, so repeating it must change nothing and report success:
	 * captured (also when refunded since), voided, refunded; and for a void also a declined payment, which
	 * holds no money and never will.
	 */
	public boolean isDone(PaymentStep step) {
		return switch (step) {
			case CAPTURE -> this.capturedAt != null;
			case VOID -> this.voidedAt != null || this.status == PaymentStatus.DECLINED;
			case REFUND -> this.refundedAt != null;
		};
	}

	/**
	 * False only for the slot a void took before any authorization arrived ({@link #voidedBeforeAuthorization}):
	 * no amount, no money ever involved.
	 */
	public boolean hasAmount() {
		return this.amount != null;
	}

	public boolean isPending() {
		return this.status == PaymentStatus.PENDING;
	}

	/** Whether the provider ever approved this payment's authorization (whatever happened after). */
	public boolean wasAuthorized() {
		return this.authorizedAt != null;
	}

	private void requireTransition(PaymentStatus target) {
		if (!this.status.canMoveTo(target)) {
			throw new IllegalPaymentTransitionException(this, target);
		}
	}

	// ---- accessors ----------------------------------------------------------------------------

	public UUID id() {
		return this.id;
	}

	public UUID orderId() {
		return this.orderId;
	}

	/** The order's customer (their token's subject); null when not known, so visible to admins only. */
	public UUID customerId() {
		return this.customerId;
	}

	/** Null only for a payment voided before its authorization arrived. */
	public Money amount() {
		return this.amount;
	}

	public PaymentStatus status() {
		return this.status;
	}

	public String declineReason() {
		return this.declineReason;
	}

	public String providerReference() {
		return this.providerReference;
	}

	/** The stored version this state was read at (or derived from); updates check it. */
	public long version() {
		return this.version;
	}

	public Instant createdAt() {
		return this.createdAt;
	}

	public Instant updatedAt() {
		return this.updatedAt;
	}

	public Instant authorizedAt() {
		return this.authorizedAt;
	}

	public Instant capturedAt() {
		return this.capturedAt;
	}

	public Instant voidedAt() {
		return this.voidedAt;
	}

	public Instant refundedAt() {
		return this.refundedAt;
	}

	@Override
	public String toString() {
		return "Payment[" + this.id + ", order " + this.orderId + ", " + this.status + ", " + this.amount + "]";
	}

}
