package com.example.shop.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code notification} table over plain JDBC. Every status change is one conditional UPDATE that never
 * touches a SENT row, so a late failure report cannot undo a delivery.
 */
@Repository
public class NotificationRepository {

	/** Fits {@code last_error}; longer texts are cut. */
	static final int MAX_ERROR = 1000;

	private static final String COLUMNS = "id, order_id, source_event_id, channel, type, recipient, "
			+ "order_summary::text AS order_summary, status, attempts, last_error, created_at, sent_at";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	public NotificationRepository(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	/**
	 * A PENDING email notification for this event and type, unless one exists: the unique constraint on
	 * (source event, type) makes this idempotent also when two replicas race on a redelivered event.
	 * @return the new notification's id, empty when the event already has its notification of this type
	 */
	public Optional<UUID> insertIfAbsent(UUID sourceEventId, NotificationType type, OrderSummary order,
			Instant now) {
		UUID id = UUID.randomUUID();
		int inserted = this.jdbc.sql("""
				INSERT INTO notification (id, order_id, source_event_id, channel, type, recipient, order_summary,
				                          status, attempts, created_at, updated_at)
				VALUES (:id, :orderId, :sourceEventId, :channel, :type, :recipient, CAST(:summary AS jsonb),
				        'PENDING', 0, :now, :now)
				ON CONFLICT (source_event_id, type) DO NOTHING
				""")
			.param("id", id)
			.param("orderId", order.orderId())
			.param("sourceEventId", sourceEventId)
			.param("channel", Notification.EMAIL)
			.param("type", type.name())
			.param("recipient", order.customerEmail())
			.param("summary", this.json.writeValueAsString(order))
			.param("now", Timestamp.from(now))
			.update();
		return (inserted == 1) ? Optional.of(id) : Optional.empty();
	}

	public Optional<Notification> find(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE id = :id")
			.param("id", id)
			.query(this::map)
			.optional();
	}

	/**
	 * The row, locked until the caller's transaction ends: two deliveries of one notification (two replicas,
	 * or a redelivery racing the first) are serialised on it, so the second sees SENT and sends nothing.
	 */
	public Optional<Notification> lock(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE id = :id FOR UPDATE")
			.param("id", id)
			.query(this::map)
			.optional();
	}

	/** The order's notifications, oldest first. */
	public List<Notification> findByOrderId(UUID orderId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE order_id = :orderId ORDER BY created_at, id")
			.param("orderId", orderId)
			.query(this::map)
			.list();
	}

	public void markSent(UUID id, Instant at) {
		this.jdbc.sql("""
				UPDATE notification SET status = 'SENT', sent_at = :at, attempts = attempts + 1, last_error = NULL,
				                        updated_at = :at
				WHERE id = :id AND status <> 'SENT'
				""").param("id", id).param("at", Timestamp.from(at)).update();
	}

	/** A transient failure: the message is on its way to a retry tier. */
	public void markRetrying(UUID id, String error, Instant at) {
		markFailedAttempt(id, NotificationStatus.RETRYING, error, at);
	}

	/** Parked: a permanent failure, or the last tier used up. */
	public void markFailed(UUID id, String error, Instant at) {
		markFailedAttempt(id, NotificationStatus.FAILED, error, at);
	}

	private void markFailedAttempt(UUID id, NotificationStatus status, String error, Instant at) {
		this.jdbc.sql("""
				UPDATE notification SET status = :status, attempts = attempts + 1, last_error = :error,
				                        updated_at = :at
				WHERE id = :id AND status <> 'SENT'
				""")
			.param("id", id)
			.param("status", status.name())
			.param("error", truncate(error))
			.param("at", Timestamp.from(at))
			.update();
	}

	private Notification map(ResultSet row, int rowNumber) throws SQLException {
		Timestamp sentAt = row.getTimestamp("sent_at");
		return new Notification(row.getObject("id", UUID.class), row.getObject("order_id", UUID.class),
				row.getObject("source_event_id", UUID.class), row.getString("channel"),
				NotificationType.valueOf(row.getString("type")), row.getString("recipient"),
				this.json.readValue(row.getString("order_summary"), OrderSummary.class),
				NotificationStatus.valueOf(row.getString("status")), row.getInt("attempts"), row.getString("last_error"),
				row.getTimestamp("created_at").toInstant(), (sentAt != null) ? sentAt.toInstant() : null);
	}

	private static String truncate(String error) {
		if (error == null) {
			return null;
		}
		return (error.length() <= MAX_ERROR) ? error : error.substring(0, MAX_ERROR - 3) + "...";
	}

}
