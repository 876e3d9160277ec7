package com.example.shop.messaging.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.example.shop.messaging.envelope.MessageEnvelopeCodec;

/**
 * SQL of {@code outbox_message} (schema: {@code db/migration/R__messaging_outbox_inbox.sql}).
 * Every method runs in the caller's transaction; none opens one.
 */
class OutboxRepository {

	/**
	 * Step 1 of taking a batch: claims up to {@code :limit} orders (correlation ids) whose oldest unsent
	 * message is due, oldest first, with a transaction-scoped advisory lock per order. An order claimed by
	 * another relay is passed over (its try-lock fails) rather than waited for, so replicas share the work
	 * order by order; the lock is released when the claiming transaction ends. The try-lock sits outside the
	 * sorted subquery ({@code OFFSET 0} keeps PostgreSQL from merging them) and under the {@code LIMIT}, so
	 * exactly the returned orders are locked.
	 */
	private static final String CLAIM_READY_ORDERS = """
			SELECT ready.correlation_id
			FROM (
			    SELECT head.correlation_id, head.seq
			    FROM (
			        SELECT DISTINCT ON (correlation_id) correlation_id, seq, available_at
			        FROM outbox_message
			        WHERE sent_at IS NULL
			        ORDER BY correlation_id, seq
			    ) head
			    WHERE head.available_at <= now()
			    ORDER BY head.seq
			    OFFSET 0
			) ready
			WHERE pg_try_advisory_xact_lock(hashtextextended('shop.outbox:' || ready.correlation_id, 0))
			LIMIT :limit
			""";

	/**
	 * Step 2: the due rows of the claimed orders, in publishing order, locked. A separate statement on
	 * purpose: its snapshot is taken after the order locks are held, so it sees everything the order's
	 * previous relay committed (rows sent, rows pushed back after a failure). In one statement the snapshot
	 * would predate the lock, and a row pushed back a moment earlier could be overtaken by its successors.
	 * <p>
	 * A row waits while an earlier row of its order is backing off, so a retry is never overtaken. {@code FOR
	 * UPDATE SKIP LOCKED} keeps any other writer of these rows from being waited for.
	 */
	private static final String LOCK_DUE_ROWS = """
			SELECT o.id, o.channel, o.destination, o.message_key, o.correlation_id, o.message_type, o.envelope, o.attempts,
			       o.headers
			FROM outbox_message o
			WHERE o.sent_at IS NULL
			  AND o.correlation_id IN (:orders)
			  AND o.available_at <= now()
			  AND NOT EXISTS (
			      SELECT 1 FROM outbox_message earlier
			      WHERE earlier.sent_at IS NULL
			        AND earlier.correlation_id = o.correlation_id
			        AND earlier.seq < o.seq
			        AND earlier.available_at > now())
			ORDER BY o.seq
			LIMIT :limit
			FOR UPDATE OF o SKIP LOCKED
			""";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	OutboxRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	void insert(OutgoingMessage message) {
		this.jdbc.sql("""
				INSERT INTO outbox_message (id, channel, destination, message_key, correlation_id, message_type, envelope)
				VALUES (:id, :channel, :destination, :key, :correlationId, :type, :envelope)
				""")
			.param("id", message.envelope().id())
			.param("channel", message.channel().column())
			.param("destination", message.destination())
			.param("key", message.key())
			.param("correlationId", message.envelope().correlationId())
			.param("type", message.envelope().type())
			.param("envelope", MessageEnvelopeCodec.encode(message.envelope()))
			.update();
	}

	void insert(RawOutgoingMessage message) {
		this.jdbc.sql("""
				INSERT INTO outbox_message (id, channel, destination, message_key, correlation_id, message_type, envelope,
				                            headers)
				VALUES (:id, :channel, :destination, :key, :correlationId, :type, :body, CAST(:headers AS jsonb))
				""")
			.param("id", UUID.randomUUID())
			.param("channel", message.channel().column())
			.param("destination", message.destination())
			// The column is NOT NULL; an empty key stands for "no key" and is read back as null.
			.param("key", (message.key() == null) ? "" : message.key())
			.param("correlationId", message.correlationId())
			.param("type", message.type())
			.param("body", message.body())
			.param("headers", JSON.writeValueAsString(message.headers()))
			.update();
	}

	/**
	 * The next rows this relay may publish, locked with their orders until its transaction ends: no other
	 * relay publishes a row of these orders meanwhile, so each row goes out once and each order in sequence.
	 */
	List<PendingMessage> lockNextBatch(int limit) {
		List<String> orders = this.jdbc.sql(CLAIM_READY_ORDERS).param("limit", limit).query(String.class).list();
		if (orders.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql(LOCK_DUE_ROWS)
			.param("orders", orders)
			.param("limit", limit)
			.query(OutboxRepository::pending)
			.list();
	}

	/** Marks the rows a broker acknowledged sent, all in one statement. */
	void markSent(Collection<UUID> ids) {
		this.jdbc.sql("""
				UPDATE outbox_message SET sent_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL
				WHERE id = ANY(:ids)
				""").param("ids", ids.toArray(UUID[]::new)).update();
	}

	void markFailed(UUID id, String error, Duration retryIn) {
		this.jdbc.sql("""
				UPDATE outbox_message
				SET attempts = attempts + 1, last_error = :error,
				    available_at = clock_timestamp() + :retryMillis * interval '1 millisecond'
				WHERE id = :id
				""")
			.param("id", id)
			.param("error", error)
			.param("retryMillis", retryIn.toMillis())
			.update();
	}

	/** Deletes up to {@code limit} sent rows older than {@code cutoff}; returns how many. */
	int deleteSentBefore(Instant cutoff, int limit) {
		return this.jdbc.sql("""
				DELETE FROM outbox_message WHERE id IN (
				    SELECT id FROM outbox_message WHERE sent_at < :cutoff LIMIT :limit)
				""")
			.param("cutoff", Timestamp.from(cutoff))
			.param("limit", limit)
			.update();
	}

	Backlog backlog() {
		return this.jdbc.sql("""
				SELECT count(*) AS unsent,
				       coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) AS oldest_seconds
				FROM outbox_message WHERE sent_at IS NULL
				""")
			.query((rs, row) -> new Backlog(rs.getLong("unsent"), rs.getDouble("oldest_seconds")))
			.single();
	}

	private static PendingMessage pending(ResultSet rs, int row) throws SQLException {
		String headers = rs.getString("headers");
		String key = rs.getString("message_key");
		if (headers == null) {
			return new PendingMessage(rs.getObject("id", UUID.class), Channel.fromColumn(rs.getString("channel")),
					rs.getString("destination"), key, rs.getString("correlation_id"), rs.getString("message_type"),
					rs.getString("envelope"), rs.getInt("attempts"));
		}
		Channel channel = Channel.fromColumn(rs.getString("channel"));
		return new PendingMessage(rs.getObject("id", UUID.class), channel, rs.getString("destination"),
				(channel == Channel.KAFKA && key.isEmpty()) ? null : key, rs.getString("correlation_id"),
				rs.getString("message_type"), rs.getString("envelope"), rs.getInt("attempts"),
				JSON.readValue(headers, STRING_MAP));
	}

	/** Unsent rows and the age of the oldest one. */
	record Backlog(long unsent, double oldestSeconds) {
	}

}
