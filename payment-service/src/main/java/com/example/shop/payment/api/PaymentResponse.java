package com.example.shop.payment.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import com.example.shop.payment.Payment;
import com.example.shop.payment.PaymentStatus;

/**
 * A payment as the public API shows it (docs/api.md): amount with exactly two decimals, UTC timestamps,
 * status one of AUTHORIZED, DECLINED, CAPTURED, VOIDED, REFUNDED. Amount and currency are null only for a
 * payment voided before its authorization arrived (the order was cancelled first).
 */
public record PaymentResponse(UUID id, UUID orderId, BigDecimal amount, String currency, PaymentStatus status,
		String declineReason, Instant createdAt) {

	static PaymentResponse of(Payment payment) {
		return new PaymentResponse(payment.id(), payment.orderId(),
				(payment.amount() != null) ? payment.amount().amount() : null,
				(payment.amount() != null) ? payment.amount().currency() : null, payment.status(),
				payment.declineReason(), payment.createdAt());
	}

}
