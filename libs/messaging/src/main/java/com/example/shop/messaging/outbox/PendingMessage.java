package com.example.shop.messaging.outbox;

import java.util.UUID;

import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;

/**
 * An unsent outbox row, locked by the relay for publishing.
 *
 * @param envelope the envelope JSON exactly as stored, published as the message body
 * @param attempts publish attempts so far
 */
public record PendingMessage(UUID id, Channel channel, String destination, String key, String correlationId,
		String type, String envelope, int attempts) {

	/** The stored envelope, for the broker headers. It was written by the codec, so it always reads back. */
	public MessageEnvelope decodedEnvelope() {
		return MessageEnvelopeCodec.decode(this.envelope);
	}

	public String describe() {
		return this.type + " " + this.id + " to " + this.channel.column() + ":" + this.destination;
	}

}
