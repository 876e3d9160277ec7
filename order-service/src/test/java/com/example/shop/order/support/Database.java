package com.example.shop.order.support;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** What tests look up in the service's database directly. */
public final class Database {

	private final JdbcClient jdbc;

	public Database(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public long orders() {
		return this.jdbc.sql("SELECT count(*) FROM customer_order").query(Long.class).single();
	}

	public long idempotencyKeys() {
		return this.jdbc.sql("SELECT count(*) FROM idempotency_key").query(Long.class).single();
	}

	public long outboxMessages() {
		return this.jdbc.sql("SELECT count(*) FROM outbox_message").query(Long.class).single();
	}

	/** Types of the outbox messages of one order, oldest first. */
	public List<String> outboxTypes(UUID orderId) {
		return this.jdbc.sql("SELECT message_type FROM outbox_message WHERE message_key = :key ORDER BY created_at, id")
			.param("key", orderId.toString())
			.query(String.class)
			.list();
	}

	/** Every message of the order's saga, Kafka and RabbitMQ alike (RabbitMQ rows are keyed by routing key). */
	public List<String> correlatedTypes(UUID orderId) {
		return this.jdbc.sql("SELECT message_type FROM outbox_message WHERE correlation_id = :id ORDER BY created_at, id")
			.param("id", orderId.toString())
			.query(String.class)
			.list();
	}

	public long countWithStatus(String status) {
		return this.jdbc.sql("SELECT count(*) FROM customer_order WHERE status = :status").param("status", status)
			.query(Long.class).single();
	}

	public String status(UUID orderId) {
		return this.jdbc.sql("SELECT status FROM customer_order WHERE id = :id").param("id", orderId).query(String.class).single();
	}

	/** Moves a CONFIRMED order's confirmation into the past, as if it had been confirmed {@code days} ago. */
	public void confirmedDaysAgo(UUID orderId, int days) {
		this.jdbc.sql("UPDATE customer_order SET confirmed_at = now() - make_interval(days => :days) WHERE id = :id")
			.param("days", days)
			.param("id", orderId)
			.update();
	}

	/** Moves an order to a state directly, as if the saga had got there. */
	public void forceStatus(UUID orderId, String status) {
		boolean terminal = List.of("CONFIRMED", "CANCELLED", "FAILED").contains(status);
		this.jdbc.sql("UPDATE customer_order SET status = :status, step_deadline = "
				+ (terminal ? "NULL" : "step_deadline") + ", cancellation_reason = "
				+ (status.equals("CANCELLED") ? "'OUT_OF_STOCK'" : "cancellation_reason")
				+ (status.equals("CONFIRMED") ? ", confirmed_at = now()" : "") + " WHERE id = :id")
			.param("status", status)
			.param("id", orderId)
			.update();
	}

	public JdbcClient jdbc() {
		return this.jdbc;
	}

}
