package com.example.shop.notification.api;

import java.time.Instant;
import java.util.UUID;

import com.example.shop.notification.Notification;

/**
 * One notification as {@code GET /api/notifications} shows it. {@code failureReason} is the last failed
 * attempt's error (null once sent); the order summary stays internal.
 */
record NotificationResponse(UUID id, UUID orderId, String channel, String type, String recipient, String status,
		Instant sentAt, int attempts, String failureReason, Instant createdAt) {

	static NotificationResponse of(Notification notification) {
		return new NotificationResponse(notification.id(), notification.orderId(), notification.channel(),
				notification.type().name(), notification.recipient(), notification.status().name(),
				notification.sentAt(), notification.attempts(), notification.lastError(), notification.createdAt());
	}

}
