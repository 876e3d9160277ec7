package com.example.shop.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * One email about an order, as stored: what to send (type, recipient, the order), and how its delivery went.
 *
 * @param sourceEventId the {@code orders.events} envelope id it answers (unique with {@code type})
 * @param attempts delivery attempts so far, successful or not
 * @param lastError why the last attempt failed, or null
 */
public record Notification(UUID id, UUID orderId, UUID sourceEventId, String channel, NotificationType type,
		String recipient, OrderSummary order, NotificationStatus status, int attempts, String lastError,
		Instant createdAt, Instant sentAt) {

	/** The only channel so far. */
	public static final String EMAIL = "EMAIL";

	public boolean isSent() {
		return this.status == NotificationStatus.SENT;
	}

}
