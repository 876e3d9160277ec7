package com.example.shop.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;


import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for orders and their lines, through {@link JdbcClient} (plain JDBC, as product-service: one aggregate,
 * a handful of readable statements, no ORM session in a 256 MB JVM). Values reach SQL only as bind
 * parameters; ORDER BY columns come from {@link OrderSort}'s allow-list.
 */
@Repository
public class OrderRepository {

	private static final String COLUMNS = "id, customer_id, customer_email, status, cancellation_reason, total, "
			+ "currency, payment_token, payment_requested, stock_confirmed, payment_captured, stock_released, "
			+ "payment_voided, stock_returned, payment_refunded, confirmed_at, step_started_at, step_deadline, "
			+ "compensation_attempts, version, created_at, updated_at";

	/**
	 * When an order's step is due: its deadline has passed, counted from when the broker acknowledged the
	 * step's commands rather than from when the step began. A step's commands leave through the outbox; while
	 * our own broker is down they wait there, and a participant cannot answer what it never got. So
	 * <ul>
	 * <li>no step is due while any message of the order still waits in the outbox (the relay sends an
	 * order's messages in sequence, so the step's commands are among them or behind them), and</li>
	 * <li>the deadline moves later by how long the newest message of the order waited: its {@code sent_at}
	 * (the relay sets it only after the broker's acknowledgement) minus the step's start.</li>
	 * </ul>
	 * Messages of earlier steps were acknowledged before this step began and so move nothing. The
	 * correlation id of every message the saga sends is the order id. {@code sent_at} is the database's clock
	 * and {@code step_started_at} this service's: a skew between the two moves the deadline by the skew, no
	 * more. A row written by an older replica without {@code step_started_at} falls back to
	 * {@code updated_at}.
	 */
	private static final String STEP_IS_DUE = """
			o.step_deadline <= :now
			AND NOT EXISTS (SELECT 1 FROM outbox_message m WHERE m.correlation_id = o.id::text AND m.sent_at IS NULL)
			AND o.step_deadline + GREATEST(interval '0', COALESCE(
			        (SELECT max(m.sent_at) FROM outbox_message m WHERE m.correlation_id = o.id::text)
			        - COALESCE(o.step_started_at, o.updated_at), interval '0')) <= :now
			""";

	private final JdbcClient jdbc;

	OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(Order order) {
		this.jdbc.sql("INSERT INTO customer_order (" + COLUMNS + ") VALUES (:id, :customerId, :customerEmail, "
				+ ":status, :cancellationReason, :total, :currency, :paymentToken, :paymentRequested, :stockConfirmed, "
				+ ":paymentCaptured, :stockReleased, :paymentVoided, :stockReturned, :paymentRefunded, :confirmedAt, "
				+ ":stepStartedAt, :stepDeadline, :compensationAttempts, 0, "
				+ ":createdAt, :updatedAt)")
			.params(stateParams(order))
			.param("customerId", order.customerId())
			.param("customerEmail", order.customerEmail())
			.param("total", order.total())
			.param("currency", order.currency())
			.param("createdAt", timestamp(order.createdAt()))
			.update();
		int number = 0;
		for (OrderLine line : order.lines()) {
			this.jdbc.sql("""
					INSERT INTO order_line (order_id, line_number, product_id, sku, name, unit_price, quantity, line_total)
					VALUES (:orderId, :number, :productId, :sku, :name, :unitPrice, :quantity, :lineTotal)
					""")
				.param("orderId", order.id())
				.param("number", number++)
				.param("productId", line.productId())
				.param("sku", line.sku())
				.param("name", line.name())
				.param("unitPrice", line.unitPrice())
				.param("quantity", line.quantity())
				.param("lineTotal", line.lineTotal())
				.update();
		}
	}

	/**
	 * Stores the saga state of an order loaded at {@code order.version()}.
	 * @throws OptimisticLockingFailureException when someone stored a change in between
	 */
	public void update(Order order) {
		int updated = this.jdbc.sql("""
				UPDATE customer_order
				SET status = :status, cancellation_reason = :cancellationReason, payment_token = :paymentToken,
				    payment_requested = :paymentRequested, stock_confirmed = :stockConfirmed,
				    payment_captured = :paymentCaptured, stock_released = :stockReleased, payment_voided = :paymentVoided,
				    stock_returned = :stockReturned, payment_refunded = :paymentRefunded, confirmed_at = :confirmedAt,
				    step_started_at = :stepStartedAt, step_deadline = :stepDeadline, compensation_attempts = :compensationAttempts,
				    version = version + 1, updated_at = :updatedAt
				WHERE id = :id AND version = :version
				""")
			.params(stateParams(order))
			.param("version", order.version())
			.update();
		if (updated != 1) {
			throw new OptimisticLockingFailureException(
					"order " + order.id() + " changed since version " + order.version() + " was read");
		}
	}

	public Optional<Order> findById(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM customer_order WHERE id = :id")
			.param("id", id)
			.query(this::header)
			.optional()
			.map(this::withLines);
	}

	/**
	 * The order, its row locked until the caller's transaction ends: replies, cancels and the timeout sweeper
	 * work on one order one at a time, on any replica.
	 */
	public Optional<Order> lock(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM customer_order WHERE id = :id FOR UPDATE")
			.param("id", id)
			.query(this::header)
			.optional()
			.map(this::withLines);
	}

	/**
	 * Locks the order if its step is due ({@link #STEP_IS_DUE}) and nobody else holds it; empty otherwise. The
	 * sweeper of another replica, or a reply being applied, skips it rather than waiting.
	 */
	public Optional<Order> lockIfDue(UUID id, Instant now) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM customer_order o WHERE o.id = :id AND " + STEP_IS_DUE
				+ " FOR UPDATE OF o SKIP LOCKED")
			.param("id", id)
			.param("now", timestamp(now))
			.query(this::header)
			.optional()
			.map(this::withLines);
	}

	/**
	 * Ids of orders whose step is due ({@link #STEP_IS_DUE}), most overdue first. Only candidates: each is then
	 * taken with {@link #lockIfDue}, which skips an order another replica's sweeper (or a reply) holds right now.
	 */
	public List<UUID> findDue(Instant now, int limit) {
		return this.jdbc.sql("SELECT o.id FROM customer_order o WHERE " + STEP_IS_DUE
				+ " ORDER BY o.step_deadline LIMIT :limit")
			.param("now", timestamp(now))
			.param("limit", limit)
			.query(UUID.class)
			.list();
	}

	/**
	 * How many orders are in each non-terminal status right now (statuses with none are absent). Exactly the
	 * orders with a step deadline (a CHECK constraint), so the sweeper's index on the deadline serves it.
	 */
	public Map<OrderStatus, Long> countInFlightByStatus() {
		Map<OrderStatus, Long> counts = new HashMap<>();
		this.jdbc.sql("SELECT status, count(*) AS orders FROM customer_order WHERE step_deadline IS NOT NULL GROUP BY status")
			.query((rs, row) -> counts.put(OrderStatus.valueOf(rs.getString("status")), rs.getLong("orders")))
			.list();
		return counts;
	}

	public List<Order> search(OrderSearch search, OrderSort sort, int page, int size) {
		Filter filter = Filter.of(search);
		List<Order> headers = this.jdbc
			.sql("SELECT " + COLUMNS + " FROM customer_order" + filter.where() + sort.toSql() + " LIMIT :limit OFFSET :offset")
			.params(filter.params())
			.param("limit", size)
			.param("offset", (long) page * size)
			.query(this::header)
			.list();
		Map<UUID, List<OrderLine>> lines = linesOf(headers.stream().map(Order::id).toList());
		return headers.stream().map((order) -> withLines(order, lines.getOrDefault(order.id(), List.of()))).toList();
	}

	public long count(OrderSearch search) {
		Filter filter = Filter.of(search);
		return this.jdbc.sql("SELECT count(*) FROM customer_order" + filter.where())
			.params(filter.params())
			.query(Long.class)
			.single();
	}

	private Order withLines(Order header) {
		return withLines(header, linesOf(List.of(header.id())).getOrDefault(header.id(), List.of()));
	}

	private Map<UUID, List<OrderLine>> linesOf(Collection<UUID> orderIds) {
		Map<UUID, List<OrderLine>> lines = new LinkedHashMap<>();
		if (orderIds.isEmpty()) {
			return lines;
		}
		this.jdbc.sql("""
				SELECT order_id, product_id, sku, name, unit_price, quantity, line_total FROM order_line
				WHERE order_id IN (:ids) ORDER BY order_id, line_number
				""")
			.param("ids", List.copyOf(orderIds))
			.query((rs, row) -> {
				lines.computeIfAbsent(rs.getObject("order_id", UUID.class), (id) -> new ArrayList<>())
					.add(new OrderLine(rs.getObject("product_id", UUID.class), rs.getString("sku"), rs.getString("name"),
							rs.getBigDecimal("unit_price"), rs.getInt("quantity"), rs.getBigDecimal("line_total")));
				return null;
			})
			.list();
		return lines;
	}

	private static Order withLines(Order header, List<OrderLine> lines) {
		return new Order(header.id(), header.customerId(), header.customerEmail(), lines, header.total(),
				header.currency(), header.paymentToken(), header.state(), header.stepStartedAt(), header.stepDeadline(), header.compensationAttempts(), header.version(),
				header.createdAt(), header.updatedAt());
	}

	/** The order row without its lines (filled in by {@link #withLines}). */
	private Order header(ResultSet rs, int row) throws SQLException {
		String reason = rs.getString("cancellation_reason");
		return new Order(rs.getObject("id", UUID.class), rs.getObject("customer_id", UUID.class),
				rs.getString("customer_email"), List.of(), rs.getBigDecimal("total"), rs.getString("currency"),
				rs.getString("payment_token"),
				new SagaStateColumns(OrderStatus.valueOf(rs.getString("status")),
						(reason != null) ? CancellationReason.valueOf(reason) : null, rs.getBoolean("payment_requested"),
						rs.getBoolean("stock_confirmed"), rs.getBoolean("payment_captured"), rs.getBoolean("stock_released"),
						rs.getBoolean("payment_voided"), rs.getBoolean("stock_returned"), rs.getBoolean("payment_refunded"),
						instant(rs, "confirmed_at"))
					.state(),
				instant(rs, "step_started_at"), instant(rs, "step_deadline"), rs.getInt("compensation_attempts"), rs.getLong("version"),
				instant(rs, "created_at"), instant(rs, "updated_at"));
	}

	private static Map<String, Object> stateParams(Order order) {
		SagaStateColumns state = SagaStateColumns.of(order.state());
		Map<String, Object> params = new HashMap<>();
		params.put("id", order.id());
		params.put("status", state.status().name());
		params.put("cancellationReason", (state.reason() != null) ? state.reason().name() : null);
		params.put("paymentToken", order.paymentToken());
		params.put("paymentRequested", state.paymentRequested());
		params.put("stockConfirmed", state.stockConfirmed());
		params.put("paymentCaptured", state.paymentCaptured());
		params.put("stockReleased", state.stockReleased());
		params.put("paymentVoided", state.paymentVoided());
		params.put("stockReturned", state.stockReturned());
		params.put("paymentRefunded", state.paymentRefunded());
		params.put("confirmedAt", timestamp(state.confirmedAt()));
		params.put("stepStartedAt", timestamp(order.stepStartedAt()));
		params.put("stepDeadline", timestamp(order.stepDeadline()));
		params.put("compensationAttempts", order.compensationAttempts());
		params.put("updatedAt", timestamp(order.updatedAt()));
		return params;
	}

	private static Timestamp timestamp(Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/** The WHERE clause of a search: fixed SQL fragments, values only as parameters. */
	private record Filter(List<String> conditions, Map<String, Object> params) {

		static Filter of(OrderSearch search) {
			List<String> conditions = new ArrayList<>();
			Map<String, Object> params = new HashMap<>();
			if (search.customerId() != null) {
				conditions.add("customer_id = :customerId");
				params.put("customerId", search.customerId());
			}
			if (search.status() != null) {
				conditions.add("status = :status");
				params.put("status", search.status().name());
			}
			return new Filter(conditions, params);
		}

		String where() {
			return this.conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", this.conditions);
		}

	}

}
