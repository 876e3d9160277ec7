package com.example.shop.payment.provider;

import java.math.BigDecimal;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The simulator's own storage (schema {@code provider_simulator}, see V1__create_payment.sql): what an
 * external provider keeps on its side. In the payment database so it survives restarts and every replica
 * sees the same provider, as it would with a real one.
 */
@Repository
class SimulatorLedger {

	enum Operation {

		AUTHORIZE, CAPTURE, VOID, REFUND

	}

	/** The state of an authorization at the provider; every status but DECLINED is a charge on the card. */
	enum Status {

		DECLINED, AUTHORIZED, CAPTURED, VOIDED, REFUNDED

	}

	record CardAuthorization(String idempotencyKey, Status status, String declineReason, String reference) {
	}

	private final JdbcClient jdbc;

	SimulatorLedger(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Counts a request and returns how many requests this key and operation have had, this one included. The
	 * row stays locked until the transaction ends, which serialises concurrent requests with the same key.
	 */
	int countCall(String idempotencyKey, Operation operation) {
		return this.jdbc.sql("""
				INSERT INTO provider_simulator.request (idempotency_key, operation, calls)
				VALUES (:key, :operation, 1)
				ON CONFLICT (idempotency_key, operation)
				DO UPDATE SET calls = request.calls + 1, last_call_at = now()
				RETURNING calls""")
			.param("key", idempotencyKey)
			.param("operation", operation.name())
			.query(Integer.class)
			.single();
	}

	Optional<CardAuthorization> find(String idempotencyKey) {
		return this.jdbc.sql("""
				SELECT idempotency_key, status, decline_reason, reference
				FROM provider_simulator.card_authorization WHERE idempotency_key = :key""")
			.param("key", idempotencyKey)
			.query((rs, row) -> new CardAuthorization(rs.getString("idempotency_key"),
					Status.valueOf(rs.getString("status")), rs.getString("decline_reason"), rs.getString("reference")))
			.optional();
	}

	/** Records the final answer for the key unless one is recorded already; true when this one was. */
	boolean recordIfAbsent(String idempotencyKey, Status status, String declineReason, String reference,
			BigDecimal amount, String currency) {
		return this.jdbc.sql("""
				INSERT INTO provider_simulator.card_authorization
				    (idempotency_key, status, decline_reason, reference, amount, currency)
				VALUES (:key, :status, :declineReason, :reference, :amount, :currency)
				ON CONFLICT (idempotency_key) DO NOTHING""")
			.param("key", idempotencyKey)
			.param("status", status.name())
			.param("declineReason", declineReason)
			.param("reference", reference)
			.param("amount", amount)
			.param("currency", currency)
			.update() > 0;
	}

	/** Moves the authorization from one status to another, atomically; false when it was not in {@code from}. */
	boolean move(String idempotencyKey, Status from, Status to) {
		return this.jdbc.sql("""
				UPDATE provider_simulator.card_authorization SET status = :to, updated_at = now()
				WHERE idempotency_key = :key AND status = :from""")
			.param("key", idempotencyKey)
			.param("from", from.name())
			.param("to", to.name())
			.update() > 0;
	}

}
