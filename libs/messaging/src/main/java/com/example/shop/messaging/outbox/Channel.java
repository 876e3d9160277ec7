package com.example.shop.messaging.outbox;

import java.util.Locale;

/** The broker an outbox row goes to; stored lower-case in {@code outbox_message.channel}. */
public enum Channel {

	KAFKA, RABBIT;

	public String column() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Channel fromColumn(String value) {
		return valueOf(value.toUpperCase(Locale.ROOT));
	}

}
