package com.example.shop.notification.live;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An order's status as of {@code at} (when the transition happened at order-service): one WebSocket frame
 * {@code {"orderId", "status", "cancellationReason", "at"}}. {@code at} orders the updates of an order: a client
 * is never sent one that is not later than the last it got. It is kept to microseconds, PostgreSQL's precision,
 * so an update read back from the projection compares equal to the event it came from.
 */
public record OrderStatusUpdate(UUID orderId, OrderStatus status, @Nullable String cancellationReason, Instant at) {

	public OrderStatusUpdate {
		Objects.requireNonNull(orderId, "orderId");
		Objects.requireNonNull(status, "status");
		at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MICROS);
	}

	public boolean isLaterThan(@Nullable OrderStatusUpdate other) {
		return other == null || this.at.isAfter(other.at);
	}

	/** The later of the two (this one when neither is). */
	public OrderStatusUpdate latest(@Nullable OrderStatusUpdate other) {
		return (other != null && other.isLaterThan(this)) ? other : this;
	}

}
