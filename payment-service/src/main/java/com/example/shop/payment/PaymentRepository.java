package com.example.shop.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for the payment table, through {@link JdbcClient}.
 * <p>
 * Plain JDBC rather than JPA: one table, and the two statements that carry the design are explicit here:
 * {@code INSERT ... ON CONFLICT (order_id) DO NOTHING} (one payment per order, however many callers race)
 * and a version-checked {@code UPDATE ... RETURNING} (no lost update between two callers recording an
 * outcome). Each is a single auto-committed statement, so no transaction spans a provider call.
 */
@Repository
public class PaymentRepository {

	private static final String COLUMNS = "id, order_id, customer_id, amount, currency, status, decline_reason, "
			+ "provider_reference, version, created_at, updated_at, authorized_at, captured_at, voided_at, refunded_at";

	private static final RowMapper<Payment> MAPPER = PaymentRepository::map;

	private final JdbcClient jdbc;

	PaymentRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Payment> findByOrderId(UUID orderId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE order_id = :orderId")
			.param("orderId", orderId)
			.query(MAPPER)
			.optional();
	}

	/**
	 * Stores the payment unless its order already has one, and returns the order's payment: this one, or
	 * the one that was there first. Callers tell which by comparing ids.
	 */
	public Payment insertIfAbsent(Payment payment) {
		Optional<Payment> inserted = this.jdbc.sql("""
				INSERT INTO payment (id, order_id, customer_id, amount, currency, status, decline_reason,
				                     provider_reference, version, created_at, updated_at, authorized_at, captured_at,
				                     voided_at, refunded_at)
				VALUES (:id, :orderId, :customerId, :amount, :currency, :status, :declineReason,
				        :providerReference, :version, :createdAt, :updatedAt, :authorizedAt, :capturedAt,
				        :voidedAt, :refundedAt)
				ON CONFLICT (order_id) DO NOTHING
				RETURNING\s""" + COLUMNS)
			.params(params(payment))
			.query(MAPPER)
			.optional();
		// A conflicting row is committed by the time ON CONFLICT sees it, so this read finds it.
		return inserted.orElseGet(() -> findByOrderId(payment.orderId()).orElseThrow());
	}

	/**
	 * Records the order's customer on a payment that has none yet (made from a command without it, or the void
	 * that came before the authorization), and returns the payment as stored: with this customer, or with the one
	 * another caller recorded first. The customer of an order never changes, so this is the only write of the
	 * column after the insert; it leaves {@code version} alone, because no transition reads or writes it.
	 */
	public Payment assignCustomerIfAbsent(UUID paymentId, UUID customerId) {
		this.jdbc.sql("UPDATE payment SET customer_id = :customerId WHERE id = :id AND customer_id IS NULL")
			.param("id", paymentId)
			.param("customerId", customerId)
			.update();
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM payment WHERE id = :id")
			.param("id", paymentId)
			.query(MAPPER)
			.single();
	}

	/**
	 * Stores the new state of a payment if the stored one is still the version it was derived from, and
	 * returns it with its new version; empty when someone else changed the payment in between.
	 */
	public Optional<Payment> update(Payment payment) {
		return this.jdbc.sql("""
				UPDATE payment
				SET status = :status, decline_reason = :declineReason, provider_reference = :providerReference,
				    updated_at = :updatedAt, authorized_at = :authorizedAt, captured_at = :capturedAt,
				    voided_at = :voidedAt, refunded_at = :refundedAt, version = version + 1
				WHERE id = :id AND version = :version
				RETURNING\s""" + COLUMNS)
			.params(params(payment))
			.query(MAPPER)
			.optional();
	}

	private static Map<String, Object> params(Payment payment) {
		Map<String, Object> params = new HashMap<>();
		params.put("id", payment.id());
		params.put("orderId", payment.orderId());
		params.put("customerId", payment.customerId());
		params.put("amount", (payment.amount() != null) ? payment.amount().amount() : null);
		params.put("currency", (payment.amount() != null) ? payment.amount().currency() : null);
		params.put("status", payment.status().name());
		params.put("declineReason", payment.declineReason());
		params.put("providerReference", payment.providerReference());
		params.put("version", payment.version());
		params.put("createdAt", timestamp(payment.createdAt()));
		params.put("updatedAt", timestamp(payment.updatedAt()));
		params.put("authorizedAt", timestamp(payment.authorizedAt()));
		params.put("capturedAt", timestamp(payment.capturedAt()));
		params.put("voidedAt", timestamp(payment.voidedAt()));
		params.put("refundedAt", timestamp(payment.refundedAt()));
		return params;
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static Payment map(ResultSet rs, int row) throws SQLException {
		String currency = rs.getString("currency");
		Money amount = (currency != null) ? new Money(rs.getBigDecimal("amount"), currency) : null;
		return Payment.restore(rs.getObject("id", UUID.class), rs.getObject("order_id", UUID.class),
				rs.getObject("customer_id", UUID.class), amount,
				PaymentStatus.valueOf(rs.getString("status")), rs.getString("decline_reason"),
				rs.getString("provider_reference"), rs.getLong("version"), instant(rs, "created_at"),
				instant(rs, "updated_at"), instant(rs, "authorized_at"), instant(rs, "captured_at"),
				instant(rs, "voided_at"), instant(rs, "refunded_at"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

}
