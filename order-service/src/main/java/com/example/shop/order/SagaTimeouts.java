package com.example.shop.order;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.orders.saga.*}: how long each saga step may wait for its reply, how re-sends back off, and how long
 * a confirmed order may still be refunded.
 * The reasons behind the defaults are in application.yml and the README.
 *
 * @param stockTimeout PENDING: waiting for StockReserved / StockRejected
 * @param paymentTimeout AWAITING_PAYMENT: waiting for the authorization
 * @param retryInitialDelay CONFIRMING, COMPENSATING and REFUNDING: wait before the first re-send of unanswered
 * commands
 * @param retryMultiplier growth of that wait per re-send
 * @param retryMaxDelay cap of that wait
 * @param maxAttempts re-sends before the order is FAILED (needs an operator)
 * @param refundWindow how long after its confirmation a customer may still cancel an order (it is refunded)
 */
@ConfigurationProperties("shop.orders.saga")
public record SagaTimeouts(@DefaultValue("30s") Duration stockTimeout, @DefaultValue("60s") Duration paymentTimeout,
		@DefaultValue("10s") Duration retryInitialDelay, @DefaultValue("2.0") double retryMultiplier,
		@DefaultValue("5m") Duration retryMaxDelay, @DefaultValue("5") int maxAttempts,
		@DefaultValue("14d") Duration refundWindow) {

	public SagaTimeouts {
		if (maxAttempts < 0) {
			throw new IllegalArgumentException("shop.orders.saga.max-attempts must not be negative");
		}
		if (retryMultiplier < 1.0) {
			throw new IllegalArgumentException("shop.orders.saga.retry-multiplier must be 1.0 or more");
		}
	}

	/** How long to wait for the replies after the {@code attempt}-th sending (0 = the first). */
	public Duration retryDelay(int attempt) {
		double millis = this.retryInitialDelay.toMillis() * Math.pow(this.retryMultiplier, attempt);
		return Duration.ofMillis((long) Math.min(millis, this.retryMaxDelay.toMillis()));
	}

}
