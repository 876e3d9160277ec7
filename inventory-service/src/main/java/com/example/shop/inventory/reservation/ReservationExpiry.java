package com.example.shop.inventory.reservation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.example.shop.inventory.stock.StockChanged;
import com.example.shop.inventory.stock.StockChanges;
import com.example.shop.inventory.stock.StockRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives back the stock of reservations nobody confirmed or released before their {@code expires_at}
 * (status EXPIRED), so an order service that stays down, or a lost command, cannot hold stock forever.
 * <p>
 * Every replica runs it. Each batch is one transaction that locks its reservations with
 * {@code FOR UPDATE SKIP LOCKED}: replicas sweeping at the same time take disjoint batches, and a confirm or
 * release in flight keeps its reservation (the sweeper skips it; if the sweeper got there first, the confirm
 * waits and then finds EXPIRED). Stock rows of a batch are updated once per product, in product id order.
 */
@Component
public class ReservationExpiry {

	private static final Logger log = LoggerFactory.getLogger(ReservationExpiry.class);

	private final ReservationRepository reservations;

	private final StockRepository stock;

	private final StockChanges changes;

	private final ReservationMetrics metrics;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final int batchSize;

	ReservationExpiry(ReservationRepository reservations, StockRepository stock, StockChanges changes,
			ReservationMetrics metrics, TransactionTemplate transactions, Clock clock, ReservationProperties properties) {
		this.reservations = reservations;
		this.stock = stock;
		this.changes = changes;
		this.metrics = metrics;
		this.transactions = transactions;
		this.clock = clock;
		this.batchSize = properties.expiry().batchSize();
	}

	@Scheduled(fixedDelayString = "${inventory.reservations.expiry.interval:10s}",
			initialDelayString = "${inventory.reservations.expiry.interval:10s}")
	void sweep() {
		try {
			int expired = expireDue(this.clock.instant());
			if (expired > 0) {
				log.info("Expired {} reservation(s) and released their stock", expired);
			}
		}
		catch (RuntimeException ex) {
			// The next run tries again; a database outage must not stop the schedule.
			log.warn("Reservation expiry sweep failed: {}", ex.toString());
		}
	}

	/**
	 * Expires every reservation due at {@code now}, batch after batch, until a batch comes back short.
	 * @return how many this call expired (others may have been expired by concurrent sweeps)
	 */
	public int expireDue(Instant now) {
		int total = 0;
		int expired;
		do {
			expired = this.transactions.execute(tx -> expireBatch(now));
			total += expired;
		}
		while (expired == this.batchSize);
		return total;
	}

	private int expireBatch(Instant now) {
		List<UUID> due = this.reservations.lockDue(now, this.batchSize);
		if (due.isEmpty()) {
			return 0;
		}
		List<StockChanged> changed = new ArrayList<>();
		for (Map.Entry<UUID, Integer> held : this.reservations.heldPerProduct(due).entrySet()) {
			changed.add(this.stock.unreserve(held.getKey(), held.getValue())
				.orElseThrow(() -> new IllegalStateException("expiring reservations hold " + held.getValue()
						+ " of product " + held.getKey() + " but the stock row does not have them reserved"))
				.changed());
		}
		int expired = this.reservations.markExpired(due, this.clock.instant());
		if (expired != due.size()) {
			throw new IllegalStateException("locked " + due.size() + " due reservations but expired " + expired);
		}
		changed.forEach(this.changes::publish);
		this.metrics.expiredOnCommit(expired);
		return expired;
	}

}
