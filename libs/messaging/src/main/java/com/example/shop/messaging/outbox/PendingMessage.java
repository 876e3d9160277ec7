package com.example.shop.messaging.outbox;

import java.util.Map;
import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;

/**
 * An unsent outbox row, locked by the relay for publishing.
 *
 * @param envelope the envelope JSON exactly as stored, published as the message body (for a raw row, the raw
 * body, which need not be an envelope)
 * @param attempts publish attempts so far
 * @param headers for a raw row ({@link RawOutgoingMessage}) the broker headers to send as they are; null for
 * an envelope row, whose headers are derived from the envelope
 */
public record PendingMessage(UUID id, Channel channel, String destination, String key, String correlationId,
		String type, String envelope, int attempts, Map<String, String> headers) {

	public PendingMessage(UUID id, Channel channel, String destination, String key, String correlationId, String type,
			String envelope, int attempts) {
		this(id, channel, destination, key, correlationId, type, envelope, attempts, null);
	}

	/** A raw row: send {@link #envelope()} and {@link #headers()} unchanged. */
	public boolean raw() {
		return this.headers != null;
	}

	/** The stored envelope, for the broker headers. It was written by the codec, so it always reads back. */
	public MessageEnvelope decodedEnvelope() {
		return MessageEnvelopeCodec.decode(this.envelope);
	}

	public String describe() {
		return this.type + " " + this.id + " to " + this.channel.column() + ":" + this.destination;
	}

}
