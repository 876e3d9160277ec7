package com.example.shop.messaging.deadletter;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A dead letter as read from the broker, ready to be stored.
 *
 * @param broker {@code kafka} or {@code rabbit}
 * @param brokerKey its broker-side identity ({@code kafka:<DLT>:<partition>:<offset>},
 * {@code rabbit:<dlq>:<dead-letter id>}): the same dead letter read twice has the same key and is stored once
 * @param source the topic or queue the message failed on, where a replay sends it
 * @param consumerGroup Kafka: the consumer group that gave up on it
 * @param recordKey Kafka: the original record key, replayed with it
 * @param error the failure, {@code exception class: message}
 * @param attempts deliveries to the listener before it gave up
 * @param payload the original body as text (not necessarily JSON)
 * @param headers the original headers, as text; what a replay needs (it strips the failure headers)
 */
public record IncomingDeadLetter(String broker, String brokerKey, String source, @Nullable String consumerGroup,
		@Nullable String messageId, @Nullable String messageType, @Nullable String correlationId,
		@Nullable String recordKey, String error, int attempts, Instant failedAt, String payload,
		Map<String, String> headers) {

	public IncomingDeadLetter {
		Objects.requireNonNull(broker, "broker");
		Objects.requireNonNull(brokerKey, "brokerKey");
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(error, "error");
		Objects.requireNonNull(failedAt, "failedAt");
		Objects.requireNonNull(payload, "payload");
		headers = Map.copyOf(headers);
	}

}
