package com.example.shop.messaging.deadletter;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A dead letter as the admin API shows it. The public contract names the first eight fields; the rest are
 * additions (add, never rename).
 *
 * @param payload the original body as a string, whether or not it is JSON
 */
public record DeadLetterView(UUID id, String source, @Nullable String messageId, @Nullable String type, String error,
		int attempts, Instant failedAt, String payload, DeadLetterStatus status, int replayCount,
		@Nullable Instant replayedAt, String broker, @Nullable String correlationId) {
}
