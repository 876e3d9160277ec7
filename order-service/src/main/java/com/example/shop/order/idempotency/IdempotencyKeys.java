package com.example.shop.order.idempotency;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.order.idempotency.IdempotencyClaim.Claimed;
import com.example.shop.order.idempotency.IdempotencyClaim.Completed;
import com.example.shop.order.idempotency.IdempotencyClaim.InFlight;
import com.example.shop.order.idempotency.IdempotencyClaim.Mismatch;

/**
 * The Idempotency-Key of POST /api/orders: one order per key and customer, however often and however
 * concurrently the request is sent, on any number of replicas. A key is the customer's own (the table's key is
 * customer id and key): the same key from another customer is another key, so nobody is ever answered with
 * someone else's order.
 * <ol>
 * <li>{@link #claim}: in its own short transaction, {@code INSERT ... ON CONFLICT DO NOTHING} a row
 * IN_FLIGHT with the request's hash and a fresh claim id. Whoever inserts owns the key; a concurrent insert
 * waits for the first to commit and then finds its row.</li>
 * <li>The owner prices and checks the order, then {@link #complete}s the key in the order's own transaction
 * ({@code WHERE claim_id = mine}): the order and "this key made it" commit together.</li>
 * <li>A failed attempt {@link #release}s the key, so the client can try again with it.</li>
 * <li>A claim left IN_FLIGHT by a crashed instance is taken over after {@code takeover-after}, with a new
 * claim id; should the old owner still be alive, its completion then matches no row and its transaction
 * (with the order) rolls back.</li>
 * </ol>
 */
@Component
public class IdempotencyKeys {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Duration takeoverAfter;

	private final Duration retention;

	IdempotencyKeys(JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
			@Value("${shop.orders.idempotency.takeover-after:30s}") Duration takeoverAfter,
			@Value("${shop.orders.idempotency.retention:24h}") Duration retention) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.clock = clock;
		this.takeoverAfter = takeoverAfter;
		this.retention = retention;
	}

	/**
	 * @param customerId whose key it is (the caller's, never one a request body names)
	 * @param requestHash {@link RequestFingerprint} of the request
	 */
	public IdempotencyClaim claim(UUID customerId, String key, String requestHash) {
		// Three rounds cover a row deleted (released) or taken over between the statements below.
		for (int round = 0; round < 3; round++) {
			IdempotencyClaim claim = this.transactions.execute((tx) -> tryClaim(customerId, key, requestHash));
			if (claim != null) {
				return claim;
			}
		}
		return new InFlight();
	}

	/** null: the row changed under us, look again. */
	private IdempotencyClaim tryClaim(UUID customerId, String key, String requestHash) {
		UUID claimId = UUID.randomUUID();
		Instant now = this.clock.instant();
		int inserted = this.jdbc.sql("""
				INSERT INTO idempotency_key (customer_id, idempotency_key, request_hash, status, claim_id, claimed_at)
				VALUES (:customerId, :key, :hash, 'IN_FLIGHT', :claimId, :now)
				ON CONFLICT (customer_id, idempotency_key) DO NOTHING
				""")
			.param("customerId", customerId)
			.param("key", key)
			.param("hash", requestHash)
			.param("claimId", claimId)
			.param("now", Timestamp.from(now))
			.update();
		if (inserted == 1) {
			return new Claimed(customerId, key, claimId);
		}
		Optional<StoredKey> stored = this.jdbc
			.sql("SELECT request_hash, status, claim_id, order_id, claimed_at FROM idempotency_key "
					+ "WHERE customer_id = :customerId AND idempotency_key = :key")
			.param("customerId", customerId)
			.param("key", key)
			.query((rs, row) -> new StoredKey(rs.getString("request_hash"), rs.getString("status"),
					rs.getObject("claim_id", UUID.class), rs.getObject("order_id", UUID.class),
					rs.getTimestamp("claimed_at").toInstant()))
			.optional();
		if (stored.isEmpty()) {
			return null; // released in between
		}
		StoredKey existing = stored.get();
		if (!existing.requestHash().equals(requestHash)) {
			return new Mismatch();
		}
		if ("COMPLETED".equals(existing.status())) {
			return new Completed(existing.orderId());
		}
		if (existing.claimedAt().plus(this.takeoverAfter).isAfter(now)) {
			return new InFlight();
		}
		// Abandoned: its owner did not finish within takeover-after (crashed, most likely). Take it over, unless
		// another request just did.
		int taken = this.jdbc.sql("""
				UPDATE idempotency_key SET claim_id = :claimId, claimed_at = :now
				WHERE customer_id = :customerId AND idempotency_key = :key AND status = 'IN_FLIGHT'
				  AND claim_id = :previous
				""")
			.param("claimId", claimId)
			.param("now", Timestamp.from(now))
			.param("customerId", customerId)
			.param("key", key)
			.param("previous", existing.claimId())
			.update();
		if (taken == 1) {
			log.warn("Idempotency-Key claim from {} was abandoned; taken over", existing.claimedAt());
			return new Claimed(customerId, key, claimId);
		}
		return null;
	}

	/**
	 * Records that the claimed request made {@code orderId}; in the order's transaction.
	 * @return false when the claim was taken over meanwhile: the caller must roll back (the other owner wins)
	 */
	public boolean complete(Claimed claim, UUID orderId) {
		if (!TransactionSynchronizationManager.isActualTransactionActive()) {
			throw new IllegalStateException("complete must run in the transaction that stores the order");
		}
		return this.jdbc.sql("""
				UPDATE idempotency_key SET status = 'COMPLETED', order_id = :orderId, completed_at = :now
				WHERE customer_id = :customerId AND idempotency_key = :key AND claim_id = :claimId
				  AND status = 'IN_FLIGHT'
				""")
			.param("orderId", orderId)
			.param("now", Timestamp.from(this.clock.instant()))
			.param("customerId", claim.customerId())
			.param("key", claim.key())
			.param("claimId", claim.claimId())
			.update() == 1;
	}

	/** Gives the key up after a failed attempt (nothing was stored), so the same request can be sent again. */
	public void release(Claimed claim) {
		this.jdbc.sql("DELETE FROM idempotency_key WHERE customer_id = :customerId AND idempotency_key = :key "
				+ "AND claim_id = :claimId AND status = 'IN_FLIGHT'")
			.param("customerId", claim.customerId())
			.param("key", claim.key())
			.param("claimId", claim.claimId())
			.update();
	}

	/**
	 * Keys are remembered for {@code retention} after their order was made (24 h by default, as payment APIs
	 * do); a request repeated later is a new request. Runs on every replica; deleting is idempotent.
	 */
	@Scheduled(fixedDelayString = "${shop.orders.idempotency.cleanup-interval:1h}",
			initialDelayString = "${shop.orders.idempotency.cleanup-interval:1h}")
	public void forgetExpired() {
		int deleted = this.jdbc.sql("""
				DELETE FROM idempotency_key WHERE (customer_id, idempotency_key) IN (
				    SELECT customer_id, idempotency_key FROM idempotency_key
				    WHERE status = 'COMPLETED' AND completed_at < :cutoff LIMIT 10000)
				""")
			.param("cutoff", Timestamp.from(this.clock.instant().minus(this.retention)))
			.update();
		if (deleted > 0) {
			log.info("Forgot {} Idempotency-Keys older than {}", deleted, this.retention);
		}
	}

	private record StoredKey(String requestHash, String status, UUID claimId, UUID orderId, Instant claimedAt) {
	}

}
