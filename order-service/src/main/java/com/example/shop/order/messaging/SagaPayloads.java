package com.example.shop.order.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The payloads of docs/messaging.md, version 1, as this service writes and reads them. Payload classes
 * belong to each service (never shared): a consumer reads what it needs and ignores the rest.
 */
final class SagaPayloads {

	static final int VERSION = 1;

	private SagaPayloads() {
	}

	// ---- commands (written) ---------------------------------------------------------------------

	record ReserveStock(UUID orderId, List<Line> lines) {
	}

	record Line(UUID productId, int quantity) {
	}

	record ConfirmReservation(UUID orderId) {
	}

	record ReleaseReservation(UUID orderId, String reason) {
	}

	/** {@code customerId}: the order's customer, so payment-service can tell whose payment it is. */
	record AuthorizePayment(UUID orderId, UUID customerId, BigDecimal amount, String currency, String token) {

		@Override
		public String toString() {
			return "AuthorizePayment[orderId=" + this.orderId + "]";
		}

	}

	record CapturePayment(UUID orderId) {
	}

	record VoidPayment(UUID orderId) {
	}

	/** OrderPlaced, OrderConfirmed, OrderCancelled (with {@code reason}), OrderFailed. */
	record OrderLifecycle(UUID orderId, UUID customerId, String customerEmail, String status, String reason,
			BigDecimal total, String currency, List<EventLine> lines, Instant createdAt, Instant at) {
	}

	record EventLine(UUID productId, String sku, String name, BigDecimal unitPrice, int quantity,
			BigDecimal lineTotal) {
	}

	// ---- replies (read) ---------------------------------------------------------------------------

	/** Every reply names its order; the other fields are read where a transition needs them. */
	record Reply(UUID orderId, String reason, String status, String operation) {
	}

}
