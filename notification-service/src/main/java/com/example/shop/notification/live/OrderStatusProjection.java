package com.example.shop.notification.live;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The table {@code order_status}: the latest status seen of each order, for clients that connect after it
 * changed, and whose order it is, for the handshake's ownership check. Every replica writes it from its own consumer; the upsert changes a row only for a later {@code at},
 * so the same event written by several replicas, a redelivery or an older event arriving late change nothing.
 */
@Repository
public class OrderStatusProjection {

	private static final Logger log = LoggerFactory.getLogger(OrderStatusProjection.class);

	private final JdbcClient jdbc;

	OrderStatusProjection(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param customerId the order's customer as the event names it (null when it does not); an order's customer
	 * never changes, so the first one known stays
	 * @return whether the row changed (false: it already held this update or a later one)
	 */
	public boolean record(OrderStatusUpdate update, @Nullable UUID customerId) {
		return this.jdbc.sql("""
				INSERT INTO order_status (order_id, customer_id, status, cancellation_reason, at, updated_at)
				VALUES (:orderId, :customerId, :status, :reason, :at, now())
				ON CONFLICT (order_id) DO UPDATE
				SET status = excluded.status, cancellation_reason = excluded.cancellation_reason, at = excluded.at,
				    customer_id = COALESCE(order_status.customer_id, excluded.customer_id), updated_at = now()
				WHERE order_status.at < excluded.at
				""")
			.param("orderId", update.orderId())
			.param("customerId", customerId)
			.param("status", update.status().name())
			.param("reason", update.cancellationReason())
			.param("at", OffsetDateTime.ofInstant(update.at(), ZoneOffset.UTC))
			.update() == 1;
	}

	/** Empty when the order is not known (or its stored status is one this version does not know). */
	public Optional<OrderStatusUpdate> find(UUID orderId) {
		return findKnown(orderId).map(KnownOrder::status);
	}

	/** {@link #find}, with the order's customer (null for a row written before events named it). */
	public Optional<KnownOrder> findKnown(UUID orderId) {
		return this.jdbc
			.sql("SELECT status, cancellation_reason, at, customer_id FROM order_status WHERE order_id = :orderId")
			.param("orderId", orderId)
			.query((rs, row) -> new StoredStatus(rs.getString("status"), rs.getString("cancellation_reason"),
					rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getObject("customer_id", UUID.class)))
			.optional()
			.flatMap(stored -> OrderStatus.parse(stored.status())
				.map(status -> new KnownOrder(
						new OrderStatusUpdate(orderId, status, stored.cancellationReason(), stored.at()),
						stored.customerId())));
	}

	/**
	 * {@link #find}, for a connecting client: a database that cannot answer reads as "not known yet" (logged), so
	 * the client still connects and gets the status with the next event instead of an error.
	 */
	public Optional<OrderStatusUpdate> findForClient(UUID orderId) {
		return findKnownForClient(orderId).map(KnownOrder::status);
	}

	/** {@link #findKnown}, with {@link #findForClient}'s handling of a database that cannot answer. */
	public Optional<KnownOrder> findKnownForClient(UUID orderId) {
		try {
			return findKnown(orderId);
		}
		catch (DataAccessException ex) {
			log.warn("Could not read the status of order {}: {}", orderId, ex.getMessage());
			return Optional.empty();
		}
	}

	private record StoredStatus(String status, String cancellationReason, Instant at, @Nullable UUID customerId) {
	}

}
