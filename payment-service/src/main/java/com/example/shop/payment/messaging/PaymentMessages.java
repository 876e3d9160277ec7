package com.example.shop.payment.messaging;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The payloads of docs/messaging.md, version 1, as payment-service reads (commands) and writes (replies)
 * them. Payload classes belong to each service and are never shared; unknown fields are ignored, so
 * order-service may add optional ones without a new version.
 */
final class PaymentMessages {

	static final int VERSION = 1;

	/** The {@code source} of every envelope this service makes. */
	static final String SOURCE = "payment-service";

	private PaymentMessages() {
	}

	// ---- commands (read), exchange payment.commands -----------------------------------------------

	/**
	 * Routing key {@code authorize}. {@code amount} is a JSON number with two decimals in {@code currency}.
	 * {@code customerId} (optional, added in v1 without a new version) is the order's customer, their token's
	 * subject: the one customer who may read the payment. Null from an order-service that does not send it yet.
	 */
	record AuthorizePayment(UUID orderId, UUID customerId, BigDecimal amount, String currency, String token) {

		/** The card token stays out of logs and exception messages (which end up in dead-letter headers). */
		@Override
		public String toString() {
			return "AuthorizePayment[orderId=" + this.orderId + ", customerId=" + this.customerId + ", amount="
					+ this.amount + " " + this.currency + "]";
		}

	}

	/** Routing key {@code capture}. */
	record CapturePayment(UUID orderId) {
	}

	/** Routing key {@code void}. */
	record VoidPayment(UUID orderId) {
	}

	/** Routing key {@code refund}. */
	record RefundPayment(UUID orderId) {
	}

	// ---- replies (written), exchange payment.replies, routing key order-service --------------------

	record PaymentAuthorized(UUID orderId, UUID paymentId) {
	}

	/** {@code reason}: the provider's ({@code card_declined}, {@code invalid_token}) or {@code authorization_voided}. */
	record PaymentDeclined(UUID orderId, String reason) {
	}

	record PaymentCaptured(UUID orderId) {
	}

	record PaymentVoided(UUID orderId) {
	}

	record PaymentRefunded(UUID orderId) {
	}

	/**
	 * A capture, void or refund the payment's state does not allow (or the provider refused): final, asking
	 * again changes nothing.
	 *
	 * @param operation {@code capture}, {@code void} or {@code refund}
	 * @param status the payment's status ({@code AUTHORIZED}, {@code DECLINED}, {@code CAPTURED},
	 * {@code VOIDED}, {@code REFUNDED}); null when the order has no payment
	 * @param detail for a human reading the order's history
	 */
	record PaymentRefused(UUID orderId, String operation, String status, String detail) {
	}

}
