package com.example.shop.payment.provider;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the simulated provider recorded, read straight from its tables: how often it was called, and how
 * many charges it holds. Tests use it to prove "one charge", "no second call".
 */
public final class SimulatorRecords {

	private final JdbcClient jdbc;

	public SimulatorRecords(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Requests received for the authorization key and operation (AUTHORIZE, CAPTURE, VOID, REFUND). */
	public int calls(String key, String operation) {
		return this.jdbc
			.sql("SELECT coalesce(sum(calls), 0) FROM provider_simulator.request "
					+ "WHERE idempotency_key = :key AND operation = :operation")
			.param("key", key)
			.param("operation", operation)
			.query(Integer.class)
			.single();
	}

	public int authorizeCalls(UUID paymentId) {
		return calls(paymentId.toString(), "AUTHORIZE");
	}

	/** Approved authorizations (money held or moved) for the key: 0 or 1 if idempotency holds. */
	public int charges(String key) {
		return this.jdbc
			.sql("SELECT count(*) FROM provider_simulator.card_authorization "
					+ "WHERE idempotency_key = :key AND status <> 'DECLINED'")
			.param("key", key)
			.query(Integer.class)
			.single();
	}

	public int charges(UUID paymentId) {
		return charges(paymentId.toString());
	}

	/** The provider's status of the authorization (DECLINED, AUTHORIZED, CAPTURED, ...), null if none. */
	public String status(UUID paymentId) {
		return this.jdbc
			.sql("SELECT status FROM provider_simulator.card_authorization WHERE idempotency_key = :key")
			.param("key", paymentId.toString())
			.query(String.class)
			.optional()
			.orElse(null);
	}

	/** Payment rows of the order in the service's own table. */
	public int paymentRows(UUID orderId) {
		return this.jdbc.sql("SELECT count(*) FROM payment WHERE order_id = :orderId")
			.param("orderId", orderId)
			.query(Integer.class)
			.single();
	}

}
