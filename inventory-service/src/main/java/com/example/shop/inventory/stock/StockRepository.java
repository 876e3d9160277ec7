package com.example.shop.inventory.stock;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for the stock table, through {@link JdbcClient} (plain JDBC: every change is one readable conditional
 * statement, which is the point of this service).
 * <p>
 * Every change is a single {@code UPDATE ... WHERE <condition> RETURNING}: the database checks the condition
 * and applies the change atomically on the locked row, so two concurrent requests can never both take the
 * last unit (no read-then-write window). Under READ COMMITTED, an UPDATE that waited for another
 * transaction's row lock re-evaluates its WHERE on the row as that transaction left it. The CHECK
 * constraints of the table are the last line of defence. Each change increments {@code version} and stamps
 * {@code updated_at} with {@code clock_timestamp()} (the moment of the change, taken under the row lock, so
 * it grows with the version; {@code now()} would be the transaction's start).
 */
@Repository
public class StockRepository {

	/**
	 * The order in which every transaction that changes several stock rows changes (and so locks) them, so
	 * that two transactions never wait for each other in a cycle. Unsigned, byte by byte, as PostgreSQL
	 * orders uuid values; fixed here rather than left to {@link UUID#compareTo}, whose order is signed.
	 */
	public static final Comparator<UUID> LOCK_ORDER = Comparator
		.comparing((UUID id) -> id.getMostSignificantBits(), Long::compareUnsigned)
		.thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

	private static final String COLUMNS = "product_id, on_hand, reserved, version, updated_at";

	private static final RowMapper<Stock> MAPPER = StockRepository::map;

	private final JdbcClient jdbc;

	StockRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Stock> find(UUID productId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM stock WHERE product_id = :productId")
			.param("productId", productId)
			.query(MAPPER)
			.optional();
	}

	/** Available units of each product that has stock, in one query; unknown ids are left out. */
	public Map<UUID, Integer> findAvailable(Collection<UUID> productIds) {
		Map<UUID, Integer> available = new HashMap<>();
		if (productIds.isEmpty()) {
			return available;
		}
		this.jdbc.sql("SELECT product_id, on_hand - reserved AS available FROM stock WHERE product_id IN (:ids)")
			.param("ids", productIds)
			.query((rs, row) -> available.put(rs.getObject("product_id", UUID.class), rs.getInt("available")))
			.list();
		return available;
	}

	/** Sets on_hand unless that is below what is reserved; empty when the row is missing or reserved is higher. */
	public Optional<Stock> updateOnHand(UUID productId, int onHand) {
		return this.jdbc.sql("""
				UPDATE stock SET on_hand = :onHand, version = version + 1, updated_at = clock_timestamp()
				WHERE product_id = :productId AND reserved <= :onHand
				RETURNING\s""" + COLUMNS)
			.param("productId", productId)
			.param("onHand", onHand)
			.query(MAPPER)
			.optional();
	}

	/** Creates the row with nothing reserved; empty when it exists already (no exception, no aborted transaction). */
	public Optional<Stock> insert(UUID productId, int onHand) {
		return this.jdbc.sql("""
				INSERT INTO stock (product_id, on_hand, reserved, version, updated_at)
				VALUES (:productId, :onHand, 0, 0, clock_timestamp())
				ON CONFLICT (product_id) DO NOTHING
				RETURNING\s""" + COLUMNS)
			.param("productId", productId)
			.param("onHand", onHand)
			.query(MAPPER)
			.optional();
	}

	/** Holds {@code quantity} units if at least that many are available; empty otherwise (or unknown product). */
	public Optional<Stock> reserve(UUID productId, int quantity) {
		return change("reserved = reserved + :quantity", "on_hand - reserved >= :quantity", productId, quantity);
	}

	/** Gives back {@code quantity} held units; empty if fewer are held (a broken invariant, callers fail). */
	public Optional<Stock> unreserve(UUID productId, int quantity) {
		return change("reserved = reserved - :quantity", "reserved >= :quantity", productId, quantity);
	}

	/** {@code quantity} held units leave the warehouse; empty if fewer are held (a broken invariant). */
	public Optional<Stock> withdraw(UUID productId, int quantity) {
		return change("on_hand = on_hand - :quantity, reserved = reserved - :quantity",
				"reserved >= :quantity AND on_hand >= :quantity", productId, quantity);
	}

	/**
	 * {@code quantity} units that {@link #withdraw left} come back on hand (a refunded order's stock); reserved
	 * does not change, so all of them are available again. Empty for a product without a stock row (rows are
	 * never deleted, so a broken invariant: callers fail), or when the sum would not fit the INTEGER column,
	 * which the condition checks rather than letting the database fail with an overflow.
	 */
	public Optional<Stock> restock(UUID productId, int quantity) {
		return change("on_hand = on_hand + :quantity", "on_hand <= " + Integer.MAX_VALUE + " - :quantity", productId,
				quantity);
	}

	/**
	 * The units available now, with the row locked until the transaction ends; empty for an unknown product.
	 * Only used to explain a failed {@link #reserve}: the decision is always the conditional update's.
	 */
	public Optional<Integer> lockAvailable(UUID productId) {
		return this.jdbc.sql("SELECT on_hand - reserved AS available FROM stock WHERE product_id = :productId FOR UPDATE")
			.param("productId", productId)
			.query(Integer.class)
			.optional();
	}

	private Optional<Stock> change(String set, String condition, UUID productId, int quantity) {
		// Fixed SQL fragments from this class only; values are bind parameters.
		return this.jdbc.sql("UPDATE stock SET " + set + ", version = version + 1, updated_at = clock_timestamp()"
				+ " WHERE product_id = :productId AND " + condition + " RETURNING " + COLUMNS)
			.param("productId", productId)
			.param("quantity", quantity)
			.query(MAPPER)
			.optional();
	}

	private static Stock map(ResultSet rs, int row) throws SQLException {
		return new Stock(rs.getObject("product_id", UUID.class), rs.getInt("on_hand"), rs.getInt("reserved"),
				rs.getLong("version"), rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

}
