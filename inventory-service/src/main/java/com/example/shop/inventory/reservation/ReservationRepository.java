package com.example.shop.inventory.reservation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import com.example.shop.inventory.reservation.ReserveOutcome.RejectionReason;
import com.example.shop.inventory.stock.StockRepository;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the reservation and reservation_line tables, through {@link JdbcClient}. */
@Repository
class ReservationRepository {

	private static final String COLUMNS = "order_id, status, rejection_reason, expires_at";

	private static final RowMapper<Reservation> MAPPER = ReservationRepository::map;

	private final JdbcClient jdbc;

	ReservationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Creates the order's reservation as RESERVED, unless the order has one: false then, and nothing changed.
	 * A concurrent insert for the same order makes this wait until that transaction ends, so at most one
	 * delivery of a command ever acts on an order.
	 */
	boolean insertReserved(UUID orderId, Instant expiresAt, Instant now) {
		return insert(orderId, ReservationStatus.RESERVED, expiresAt, now);
	}

	/** A RELEASED tombstone for an order that has no reservation; false (nothing changed) if it has one. */
	boolean insertReleased(UUID orderId, Instant now) {
		return insert(orderId, ReservationStatus.RELEASED, null, now);
	}

	private boolean insert(UUID orderId, ReservationStatus status, Instant expiresAt, Instant now) {
		return this.jdbc.sql("""
				INSERT INTO reservation (order_id, status, expires_at, created_at, updated_at)
				VALUES (:orderId, :status, :expiresAt, :now, :now)
				ON CONFLICT (order_id) DO NOTHING""")
			.param("orderId", orderId)
			.param("status", status.name())
			.param("expiresAt", timestamp(expiresAt), java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
			.param("now", timestamp(now))
			.update() == 1;
	}

	Optional<Reservation> find(UUID orderId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM reservation WHERE order_id = :orderId")
			.param("orderId", orderId)
			.query(MAPPER)
			.optional();
	}

	/** The reservation, locked until the transaction ends, so its state cannot change under the caller. */
	Optional<Reservation> lock(UUID orderId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM reservation WHERE order_id = :orderId FOR UPDATE")
			.param("orderId", orderId)
			.query(MAPPER)
			.optional();
	}

	/** The order's lines sorted by product id (the lock order). */
	List<RecordedLine> lines(UUID orderId) {
		return this.jdbc.sql("SELECT product_id, quantity, available FROM reservation_line WHERE order_id = :orderId")
			.param("orderId", orderId)
			.query((rs, row) -> new RecordedLine(rs.getObject("product_id", UUID.class), rs.getInt("quantity"),
					(Integer) rs.getObject("available")))
			.list()
			.stream()
			.sorted(Comparator.comparing(RecordedLine::productId, StockRepository.LOCK_ORDER))
			.toList();
	}

	/**
	 * Stores the lines of a reservation.
	 * @param availableWhenShort for a rejection, the available units of each short or unknown product
	 */
	void insertLines(UUID orderId, List<ReservationLine> lines, Map<UUID, Integer> availableWhenShort) {
		for (ReservationLine line : lines) {
			this.jdbc.sql("""
					INSERT INTO reservation_line (order_id, product_id, quantity, available)
					VALUES (:orderId, :productId, :quantity, :available)""")
				.param("orderId", orderId)
				.param("productId", line.productId())
				.param("quantity", line.quantity())
				.param("available", availableWhenShort.get(line.productId()), java.sql.Types.INTEGER)
				.update();
		}
	}

	void markRejected(UUID orderId, RejectionReason reason, Instant now) {
		this.jdbc.sql("""
				UPDATE reservation SET status = 'REJECTED', rejection_reason = :reason, expires_at = NULL,
				       updated_at = :now
				WHERE order_id = :orderId AND status = 'RESERVED'""")
			.param("orderId", orderId)
			.param("reason", reason.name())
			.param("now", timestamp(now))
			.update();
	}

	/** Moves a locked reservation on; expires_at stays as a record of when it was due. */
	void changeStatus(UUID orderId, ReservationStatus from, ReservationStatus to, Instant now) {
		int changed = this.jdbc.sql("""
				UPDATE reservation SET status = :to, updated_at = :now
				WHERE order_id = :orderId AND status = :from""")
			.param("orderId", orderId)
			.param("from", from.name())
			.param("to", to.name())
			.param("now", timestamp(now))
			.update();
		if (changed != 1) {
			throw new IllegalStateException("reservation " + orderId + " was not " + from + " any more");
		}
	}

	/**
	 * Up to {@code limit} held reservations due at {@code now}, oldest first, locked until the transaction
	 * ends. Rows another transaction has locked (another replica's sweep, a confirm or release in flight) are
	 * skipped rather than waited for, so concurrent sweepers take disjoint batches.
	 */
	List<UUID> lockDue(Instant now, int limit) {
		return this.jdbc.sql("""
				SELECT order_id FROM reservation
				WHERE status = 'RESERVED' AND expires_at <= :now
				ORDER BY expires_at
				LIMIT :limit
				FOR UPDATE SKIP LOCKED""")
			.param("now", timestamp(now))
			.param("limit", limit)
			.query(UUID.class)
			.list();
	}

	/** Units held per product by these orders, sorted by product id (the lock order). */
	Map<UUID, Integer> heldPerProduct(Collection<UUID> orderIds) {
		Map<UUID, Integer> totals = new TreeMap<>(StockRepository.LOCK_ORDER);
		this.jdbc.sql("""
				SELECT product_id, sum(quantity) AS quantity FROM reservation_line
				WHERE order_id IN (:orderIds)
				GROUP BY product_id""")
			.param("orderIds", orderIds)
			.query((rs, row) -> totals.put(rs.getObject("product_id", UUID.class), rs.getInt("quantity")))
			.list();
		return totals;
	}

	int markExpired(Collection<UUID> orderIds, Instant now) {
		return this.jdbc.sql("""
				UPDATE reservation SET status = 'EXPIRED', updated_at = :now
				WHERE order_id IN (:orderIds) AND status = 'RESERVED'""")
			.param("orderIds", orderIds)
			.param("now", timestamp(now))
			.update();
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private static Reservation map(ResultSet rs, int row) throws SQLException {
		String reason = rs.getString("rejection_reason");
		OffsetDateTime expiresAt = rs.getObject("expires_at", OffsetDateTime.class);
		return new Reservation(rs.getObject("order_id", UUID.class), ReservationStatus.valueOf(rs.getString("status")),
				(reason != null) ? RejectionReason.valueOf(reason) : null,
				(expiresAt != null) ? expiresAt.toInstant() : null);
	}

	/**
	 * A stored line.
	 * @param available for a rejected reservation, what was available of a short or unknown product; else null
	 */
	record RecordedLine(UUID productId, int quantity, Integer available) {
	}

}
