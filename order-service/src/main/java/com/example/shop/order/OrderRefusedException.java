package com.example.shop.order;

import java.util.List;
import java.util.Objects;

/**
 * An order that cannot be placed as asked, and why, in the core's terms; nothing was stored. The REST edge turns
 * each {@link Reason} into its problem (status, type, title) and {@link #fields()} into the problem's errors.
 */
public class OrderRefusedException extends RuntimeException {

	/** Why; each has one answer at the edge. */
	public enum Reason {

		/** The catalog does not know some products (422). */
		UNKNOWN_PRODUCTS,

		/** The catalog prices the lines in different currencies; an order has one (422). */
		MIXED_CURRENCIES,

		/** More than an order total can hold (422). */
		TOTAL_TOO_LARGE,

		/** Inventory says some lines ask for more than is available now (409). */
		INSUFFICIENT_STOCK,

		/** The catalog cannot be asked right now, so the order cannot be priced (503). */
		CATALOG_UNAVAILABLE,

		/** A request with the same Idempotency-Key is still being processed (409). */
		KEY_IN_FLIGHT,

		/** The Idempotency-Key was used with a different request (422). */
		KEY_REUSED

	}

	/** A line of the request that is the reason, by its place in the request ({@code items[2].productId}). */
	public record RefusedField(String field, String message) {
	}

	private final Reason reason;

	private final List<RefusedField> fields;

	OrderRefusedException(Reason reason, String detail, List<RefusedField> fields) {
		super(detail);
		this.reason = Objects.requireNonNull(reason, "reason");
		this.fields = List.copyOf(fields);
	}

	OrderRefusedException(Reason reason, String detail) {
		this(reason, detail, List.of());
	}

	public Reason reason() {
		return this.reason;
	}

	public List<RefusedField> fields() {
		return this.fields;
	}

}
