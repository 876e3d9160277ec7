package com.example.shop.storefront.shop;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order, as {@code GET /api/orders/{id}} answers it. */
public record Order(UUID id, String customerId, String customerEmail, String status, String cancellationReason,
		List<Line> items, BigDecimal total, String currency, Instant createdAt, Instant updatedAt) {

	public record Line(UUID productId, String sku, String name, BigDecimal unitPrice, int quantity,
			BigDecimal lineTotal) {
	}

	public Money totalPrice() {
		return new Money(total, currency);
	}

	public Money priceOf(Line line) {
		return new Money(line.lineTotal(), currency);
	}

	public boolean isFinal() {
		return OrderStatusText.isFinal(status);
	}

	/**
	 * Whether the page offers to cancel: while the saga runs, and once CONFIRMED (a refund, within the refund
	 * window); not while a refund runs. The API decides: a cancel it refuses (409: confirming, or the window has passed) comes back as a
	 * sentence.
	 */
	public boolean isCancellable() {
		return !isFinal() && !"REFUNDING".equals(this.status) || isRefundable();
	}

	/** A cancel of a CONFIRMED order is a refund. */
	public boolean isRefundable() {
		return "CONFIRMED".equals(status);
	}

	/** The status in words, as a shopper reads it. */
	public String statusText() {
		return OrderStatusText.of(status, cancellationReason);
	}

}
