package com.example.shop.messaging.deadletter;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A stored dead letter, a row of {@code dead_letter}. Its JSON form is what the admin API answers:
 * {@code headers}, {@code broker}, {@code recordKey} and {@code consumerGroup} are left out of it, since they
 * are replay's business; see {@link DeadLetterView}.
 */
public record DeadLetter(UUID id, String broker, String source, @Nullable String consumerGroup,
		@Nullable String messageId, @Nullable String messageType, @Nullable String correlationId,
		@Nullable String recordKey, String error, int attempts, Instant failedAt, String payload,
		Map<String, String> headers, DeadLetterStatus status, int replayCount, @Nullable Instant replayedAt) {

	public DeadLetterView view() {
		return new DeadLetterView(this.id, this.source, this.messageId, this.messageType, this.error, this.attempts,
				this.failedAt, this.payload, this.status, this.replayCount, this.replayedAt, this.broker,
				this.correlationId);
	}

}
