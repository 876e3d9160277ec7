package com.example.shop.messaging.inbox;

import java.sql.Timestamp;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.example.shop.messaging.envelope.MessageEnvelope;

/**
 * Makes a consumer idempotent: it records "consumer C has processed message M" in the same transaction as
 * C's effects. Both commit together, so a redelivered or replayed copy finds the record and changes nothing,
 * and a crash before the commit leaves neither, so the redelivery applies the effects once.
 *
 * <pre>
 * &#64;Transactional
 * void on(MessageEnvelope message) {
 *     if (!inbox.firstDelivery("inventory.reserve-stock", message)) {
 *         return; // already done
 *     }
 *     ... effects, outbox.enqueue(reply) ...
 * }
 * </pre>
 */
public class Inbox {

	private static final Logger log = LoggerFactory.getLogger(Inbox.class);

	private final JdbcClient jdbc;

	private final MeterRegistry registry;

	public Inbox(JdbcClient jdbc, MeterRegistry registry) {
		this.jdbc = jdbc;
		this.registry = registry;
	}

	/**
	 * Records that {@code consumer} is processing {@code message}.
	 * <p>
	 * Concurrent deliveries of one message are safe: the second insert waits for the first transaction and
	 * then finds its row (or, if that one rolled back, takes over).
	 * @param consumer a stable name of the processing step; one message may feed several consumers
	 * @return true the first time, false for a duplicate (nothing to do)
	 * @throws IllegalStateException outside a transaction: the record must commit with the effects
	 */
	public boolean firstDelivery(String consumer, MessageEnvelope message) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("Inbox.firstDelivery(" + consumer + ", " + message.describe()
					+ ") needs the transaction that applies the message's effects (@Transactional); none is active");
		}
		int inserted = this.jdbc.sql("""
				INSERT INTO inbox_message (consumer, message_id, message_type)
				VALUES (:consumer, :id, :type)
				ON CONFLICT (consumer, message_id) DO NOTHING
				""")
			.param("consumer", consumer)
			.param("id", message.id())
			.param("type", message.type())
			.update();
		if (inserted == 0) {
			Counter.builder("inbox.duplicates")
				.tag("consumer", consumer)
				.description("Messages received again after they were processed, and skipped")
				.register(this.registry)
				.increment();
			log.debug("Inbox {}: {} already processed, skipped", consumer, message.describe());
			return false;
		}
		return true;
	}

	/** Housekeeping: forgets up to {@code limit} entries received before {@code cutoff}; returns how many. */
	public int forgetReceivedBefore(Instant cutoff, int limit) {
		return this.jdbc.sql("""
				DELETE FROM inbox_message WHERE (consumer, message_id) IN (
				    SELECT consumer, message_id FROM inbox_message WHERE received_at < :cutoff LIMIT :limit)
				""")
			.param("cutoff", Timestamp.from(cutoff))
			.param("limit", limit)
			.update();
	}

}
