package com.example.shop.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import com.example.shop.messaging.envelope.MessageEnvelope;

/** Envelopes with a small test payload, and header reading. */
public final class TestMessages {

	public static final String SOURCE = "messaging-test";

	private TestMessages() {
	}

	/**
	 * @param mode what the test listeners should do with it ("ok", "fail-once", "fail-always")
	 * @param sequence position among the messages of one order
	 */
	public record TestPayload(String mode, int sequence) {
	}

	public static MessageEnvelope envelope(String orderId, String mode, int sequence) {
		return MessageEnvelope.create("TestHappened", 1, SOURCE, orderId, new TestPayload(mode, sequence));
	}

	public static MessageEnvelope envelope(String mode) {
		return envelope(UUID.randomUUID().toString(), mode, 0);
	}

	public static String header(Headers headers, String name) {
		Header header = headers.lastHeader(name);
		return (header == null) ? null : new String(header.value(), StandardCharsets.UTF_8);
	}

}
