package com.example.shop.messaging.outbox;

import java.util.Map;
import java.util.Objects;

/**
 * A message for the outbox that is not built from an envelope: a body and broker headers sent exactly as
 * given. It exists for dead-letter replays, which must send the original bytes with the original
 * {@code message-id} (so consumers' inboxes recognise the message), even when the original is not a valid
 * envelope. Everything else uses {@link OutgoingMessage}.
 *
 * @param channel the broker
 * @param destination Kafka topic, or RabbitMQ exchange ({@code ""}: the default exchange, routing key = queue)
 * @param key Kafka record key (may be null: no key), or AMQP routing key
 * @param correlationId the outbox's ordering unit (messages of one correlation id are published in order)
 * @param type message type, for the outbox row and logs
 * @param body the body, sent as UTF-8
 * @param headers broker headers; on RabbitMQ the keys {@code amqp_messageId}, {@code amqp_type},
 * {@code amqp_appId}, {@code amqp_contentType}, {@code amqp_correlationId} set those AMQP properties instead
 */
public record RawOutgoingMessage(Channel channel, String destination, String key, String correlationId, String type,
		String body, Map<String, String> headers) {

	/** Header keys of a raw RabbitMQ message that are AMQP properties, not application headers. */
	public static final String AMQP_PROPERTY_PREFIX = "amqp_";

	public RawOutgoingMessage {
		Objects.requireNonNull(channel, "channel");
		Objects.requireNonNull(destination, "destination");
		Objects.requireNonNull(correlationId, "correlationId");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(body, "body");
		headers = Map.copyOf(headers);
		if (channel == Channel.RABBIT && key == null) {
			throw new IllegalArgumentException("a RabbitMQ message needs a routing key");
		}
	}

}
