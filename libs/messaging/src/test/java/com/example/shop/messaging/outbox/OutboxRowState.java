package com.example.shop.messaging.outbox;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** An outbox row in words, for assertions: "sent after 1 attempt", "unsent after 2 attempts: last error". */
final class OutboxRowState {

	private OutboxRowState() {
	}

	static String of(JdbcClient jdbc, UUID id) {
		return jdbc.sql("SELECT sent_at IS NOT NULL AS sent, attempts, last_error FROM outbox_message WHERE id = :id")
			.param("id", id)
			.query((rs, n) -> (rs.getBoolean("sent") ? "sent" : "unsent") + " after " + rs.getInt("attempts")
					+ ((rs.getInt("attempts") == 1) ? " attempt" : " attempts")
					+ ((rs.getString("last_error") == null) ? "" : ": " + rs.getString("last_error")))
			.single();
	}

}
