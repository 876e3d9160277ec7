package com.example.shop.messaging.deadletter;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * SQL of {@code dead_letter} (schema: {@code db/migration/R__messaging_dead_letter.sql}). Every method runs in
 * the caller's transaction when there is one.
 */
public class DeadLetterRepository {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
	};

	private static final String COLUMNS = """
			id, broker, source, consumer_group, message_id, message_type, correlation_id, record_key, error, attempts,
			failed_at, payload, headers, status, replay_count, replayed_at
			""";

	private final JdbcClient jdbc;

	public DeadLetterRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a dead letter unless one with the same broker key is stored already (a redelivery of the DLT
	 * record, another replica that read it first).
	 * @return true when it was new
	 */
	public boolean store(IncomingDeadLetter letter) {
		return this.jdbc.sql("""
				INSERT INTO dead_letter (id, broker, broker_key, source, consumer_group, message_id, message_type,
				                         correlation_id, record_key, error, attempts, failed_at, payload, headers)
				VALUES (:id, :broker, :brokerKey, :source, :consumerGroup, :messageId, :messageType, :correlationId,
				        :recordKey, :error, :attempts, :failedAt, :payload, CAST(:headers AS jsonb))
				ON CONFLICT (broker_key) DO NOTHING
				""")
			.param("id", UUID.randomUUID())
			.param("broker", letter.broker())
			.param("brokerKey", letter.brokerKey())
			.param("source", letter.source())
			.param("consumerGroup", letter.consumerGroup())
			.param("messageId", letter.messageId())
			.param("messageType", letter.messageType())
			.param("correlationId", letter.correlationId())
			.param("recordKey", letter.recordKey())
			.param("error", letter.error())
			.param("attempts", letter.attempts())
			.param("failedAt", Timestamp.from(letter.failedAt()))
			// PostgreSQL text cannot hold NUL characters; a body with them is shown (and replayed) without.
			.param("payload", letter.payload().replace("\u0000", ""))
			.param("headers", JSON.writeValueAsString(letter.headers()).replace("\\u0000", ""))
			.update() == 1;
	}

	public Optional<DeadLetter> find(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM dead_letter WHERE id = :id")
			.param("id", id)
			.query(DeadLetterRepository::deadLetter)
			.optional();
	}

	/** Locks the row until the caller's transaction ends, so two replays of one dead letter do not interleave. */
	Optional<DeadLetter> lock(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM dead_letter WHERE id = :id FOR UPDATE")
			.param("id", id)
			.query(DeadLetterRepository::deadLetter)
			.optional();
	}

	/**
	 * Newest first.
	 * @param status null: every status
	 * @param source null: every source
	 */
	public List<DeadLetter> list(@Nullable DeadLetterStatus status, @Nullable String source, int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				FROM dead_letter
				WHERE (CAST(:status AS text) IS NULL OR status = :status)
				  AND (CAST(:source AS text) IS NULL OR source = :source)
				ORDER BY failed_at DESC, ingested_at DESC
				LIMIT :limit
				""")
			.param("status", (status == null) ? null : status.name())
			.param("source", source)
			.param("limit", limit)
			.query(DeadLetterRepository::deadLetter)
			.list();
	}

	void markReplayed(UUID id) {
		this.jdbc.sql("""
				UPDATE dead_letter
				SET status = 'REPLAYED', replay_count = replay_count + 1, replayed_at = clock_timestamp()
				WHERE id = :id
				""").param("id", id).update();
	}

	/** @return false when there is no such dead letter */
	boolean markDiscarded(UUID id) {
		return this.jdbc.sql("""
				UPDATE dead_letter SET status = 'DISCARDED', discarded_at = coalesce(discarded_at, clock_timestamp())
				WHERE id = :id
				""").param("id", id).update() == 1;
	}

	/** PARKED dead letters per source. */
	Map<String, Long> parkedBySource() {
		Map<String, Long> counts = new LinkedHashMap<>();
		this.jdbc.sql("SELECT source, count(*) AS parked FROM dead_letter WHERE status = 'PARKED' GROUP BY source")
			.query((rs) -> {
				counts.put(rs.getString("source"), rs.getLong("parked"));
			});
		return counts;
	}

	private static DeadLetter deadLetter(ResultSet rs, int row) throws SQLException {
		Timestamp replayedAt = rs.getTimestamp("replayed_at");
		return new DeadLetter(rs.getObject("id", UUID.class), rs.getString("broker"), rs.getString("source"),
				rs.getString("consumer_group"), rs.getString("message_id"), rs.getString("message_type"),
				rs.getString("correlation_id"), rs.getString("record_key"), rs.getString("error"), rs.getInt("attempts"),
				rs.getTimestamp("failed_at").toInstant(), rs.getString("payload"),
				JSON.readValue(rs.getString("headers"), STRING_MAP), DeadLetterStatus.valueOf(rs.getString("status")),
				rs.getInt("replay_count"), (replayedAt == null) ? null : replayedAt.toInstant());
	}

}
