package com.example.shop.inventory.reservation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.example.shop.inventory.reservation.ReservationRepository.RecordedLine;
import com.example.shop.inventory.reservation.ReserveOutcome.RejectionReason;
import com.example.shop.inventory.reservation.ReserveOutcome.Rejected;
import com.example.shop.inventory.reservation.ReserveOutcome.Reserved;
import com.example.shop.inventory.reservation.ReserveOutcome.ShortLine;
import com.example.shop.inventory.stock.Stock;
import com.example.shop.inventory.stock.StockChanged;
import com.example.shop.inventory.stock.StockChanges;
import com.example.shop.inventory.stock.StockRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Holding stock for orders: reserve, confirm, release, and return the stock of a refunded order. This is what
 * the order saga's commands call (through the messaging adapter), so every method is:
 * <ul>
 * <li>one transaction: the reservation record, the stock rows and (through {@link StockChanges}) every
 * listener's writes commit together or not at all;</li>
 * <li>idempotent by order id: the reservation row is the record of what was decided, and a redelivered
 * command finds it and answers the same outcome without changing anything;</li>
 * <li>safe under concurrency and with several replicas: the first statement on an order claims or locks its
 * reservation row, so two deliveries of commands for one order run one after the other; stock rows are
 * changed only by conditional updates and always locked in product id order.</li>
 * </ul>
 * Malformed input (no lines, a non-positive quantity...) is an {@link IllegalArgumentException}: a command
 * no retry can fix, for the adapter to dead-letter.
 */
@Service
public class StockReservations {

	private static final Logger log = LoggerFactory.getLogger(StockReservations.class);

	private final ReservationRepository reservations;

	private final StockRepository stock;

	private final StockChanges changes;

	private final ReservationMetrics metrics;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final Duration ttl;

	StockReservations(ReservationRepository reservations, StockRepository stock, StockChanges changes,
			ReservationMetrics metrics, TransactionTemplate transactions, Clock clock, ReservationProperties properties) {
		this.reservations = reservations;
		this.stock = stock;
		this.changes = changes;
		this.metrics = metrics;
		this.transactions = transactions;
		this.clock = clock;
		this.ttl = properties.ttl();
	}

	/**
	 * Holds every line's quantity for the order, or nothing.
	 * <p>
	 * Each line is one conditional update ({@code reserved = reserved + q WHERE on_hand - reserved >= q}),
	 * in product id order, after a savepoint. If any line cannot be held, the transaction rolls back to the
	 * savepoint (no line stays held) and records the rejection instead, so a redelivery answers the same
	 * rejection. Lines naming the same product are merged ({@link ReservationLine#merge}).
	 * @return {@link Reserved}, or {@link Rejected} with OUT_OF_STOCK / UNKNOWN_PRODUCT and the offending
	 * lines; for an order whose reservation exists, the answer its record gives (see {@link #replay})
	 */
	public ReserveOutcome reserve(UUID orderId, List<ReservationLine> lines) {
		requireOrderId(orderId);
		List<ReservationLine> merged = ReservationLine.merge(lines);
		return this.transactions.execute(tx -> {
			Instant now = now();
			Instant expiresAt = now.plus(this.ttl).truncatedTo(ChronoUnit.MICROS);
			if (!this.reservations.insertReserved(orderId, expiresAt, now)) {
				ReserveOutcome recorded = replay(orderId);
				if (recorded instanceof Reserved reserved && !reserved.lines().equals(merged)) {
					// Same order, other lines: a producer bug (or a reused order id). The record stands.
					log.warn("Reserve for order {} repeated with other lines {}; answering the recorded reservation {}",
							orderId, merged, reserved.lines());
				}
				return recorded;
			}
			return holdAll(tx, orderId, merged, expiresAt, now);
		});
	}

	private ReserveOutcome holdAll(TransactionStatus tx, UUID orderId, List<ReservationLine> lines, Instant expiresAt,
			Instant now) {
		Object savepoint = tx.createSavepoint();
		List<StockChanged> held = new ArrayList<>();
		List<ShortLine> shortLines = new ArrayList<>();
		List<ShortLine> unknown = new ArrayList<>();
		for (ReservationLine line : lines) {
			Optional<Stock> updated = this.stock.reserve(line.productId(), line.quantity());
			if (updated.isEmpty()) {
				// Why did it fail? Lock the row and look. A release may have committed between the update
				// and this read; with the row locked now, a second conditional update then must succeed.
				Optional<Integer> available = this.stock.lockAvailable(line.productId());
				if (available.isEmpty()) {
					unknown.add(new ShortLine(line.productId(), line.quantity(), 0));
					continue;
				}
				if (available.get() < line.quantity()) {
					shortLines.add(new ShortLine(line.productId(), line.quantity(), available.get()));
					continue;
				}
				updated = this.stock.reserve(line.productId(), line.quantity());
			}
			held.add(updated.orElseThrow(() -> new IllegalStateException("locked stock row changed")).changed());
		}
		if (shortLines.isEmpty() && unknown.isEmpty()) {
			tx.releaseSavepoint(savepoint);
			this.reservations.insertLines(orderId, lines, Map.of());
			held.forEach(this.changes::publish);
			this.metrics.reservedOnCommit();
			return new Reserved(orderId, lines, expiresAt);
		}
		// All or nothing: undo the lines that were held; the changes collected for them never happened.
		tx.rollbackToSavepoint(savepoint);
		tx.releaseSavepoint(savepoint);
		RejectionReason reason = unknown.isEmpty() ? RejectionReason.OUT_OF_STOCK : RejectionReason.UNKNOWN_PRODUCT;
		List<ShortLine> offending = unknown.isEmpty() ? shortLines : unknown;
		Map<UUID, Integer> available = new HashMap<>();
		offending.forEach((line) -> available.put(line.productId(), line.available()));
		this.reservations.markRejected(orderId, reason, now);
		this.reservations.insertLines(orderId, lines, available);
		this.metrics.rejectedOnCommit();
		return new Rejected(orderId, reason, offending);
	}

	/**
	 * What a reserve answers for an order whose reservation exists: RESERVED, CONFIRMED or RETURNED -> Reserved
	 * with the held lines (the decision that was made: the order got its stock, whatever happened to it
	 * afterwards, and nothing is held again); REJECTED -> the recorded rejection; RELEASED or EXPIRED ->
	 * Rejected with that reason, because the order never got its stock (a late or redelivered reserve must not
	 * hold stock again).
	 */
	private ReserveOutcome replay(UUID orderId) {
		// Committed by the delivery that created it (insertReserved waited for it to finish).
		Reservation reservation = this.reservations.find(orderId)
			.orElseThrow(() -> new IllegalStateException("reservation " + orderId + " vanished"));
		List<RecordedLine> lines = this.reservations.lines(orderId);
		return switch (reservation.status()) {
			case RESERVED, CONFIRMED, RETURNED -> new Reserved(orderId,
					lines.stream().map((line) -> new ReservationLine(line.productId(), line.quantity())).toList(),
					reservation.expiresAt());
			case REJECTED -> new Rejected(orderId, reservation.rejectionReason(),
					lines.stream()
						.filter((line) -> line.available() != null)
						.map((line) -> new ShortLine(line.productId(), line.quantity(), line.available()))
						.toList());
			case RELEASED -> new Rejected(orderId, RejectionReason.RELEASED, List.of());
			case EXPIRED -> new Rejected(orderId, RejectionReason.EXPIRED, List.of());
		};
	}

	/**
	 * The held stock leaves the warehouse: on_hand and reserved both go down by each line's quantity.
	 * CONFIRMED again answers Confirmed, and so does RETURNED (it was confirmed; a confirm re-sent after the
	 * refund replays that decision and takes nothing out again); a reservation that was never confirmed and
	 * is not held (released, expired, rejected) or does not exist is {@link Refused} and nothing changes. A
	 * reservation past its expires_at that the sweeper has not expired yet is still held, and can be confirmed.
	 */
	public ConfirmOutcome confirm(UUID orderId) {
		requireOrderId(orderId);
		return this.transactions.execute(tx -> {
			Optional<Reservation> found = this.reservations.lock(orderId);
			if (found.isEmpty()) {
				return new Refused(orderId, Refused.Reason.UNKNOWN_ORDER);
			}
			return switch (found.get().status()) {
				case RESERVED -> {
					List<StockChanged> changed = new ArrayList<>();
					for (RecordedLine line : this.reservations.lines(orderId)) {
						changed.add(this.stock.withdraw(line.productId(), line.quantity())
							.orElseThrow(() -> brokenInvariant(orderId, line))
							.changed());
					}
					this.reservations.changeStatus(orderId, ReservationStatus.RESERVED, ReservationStatus.CONFIRMED,
							now());
					changed.forEach(this.changes::publish);
					yield new ConfirmOutcome.Confirmed(orderId);
				}
				case CONFIRMED, RETURNED -> new ConfirmOutcome.Confirmed(orderId);
				case RELEASED -> new Refused(orderId, Refused.Reason.RELEASED);
				case EXPIRED -> new Refused(orderId, Refused.Reason.EXPIRED);
				case REJECTED -> new Refused(orderId, Refused.Reason.REJECTED);
			};
		});
	}

	/**
	 * The held stock returns: reserved goes down by each line's quantity. Answers Released whenever nothing
	 * is held for the order afterwards (released now or before, expired, rejected). An order without a
	 * reservation gets a RELEASED tombstone, because a compensation can overtake the reserve it compensates:
	 * the late reserve then finds the tombstone and is rejected instead of holding stock nobody will free.
	 * A CONFIRMED reservation is {@link Refused}: its stock has left. A RETURNED one is Released: its stock left
	 * and came back, so nothing is held for the order and nothing is owed to the warehouse, which is all a
	 * release asks for (a refusal would send the saga looking for stock that is already back).
	 */
	public ReleaseOutcome release(UUID orderId) {
		requireOrderId(orderId);
		return this.transactions.execute(tx -> {
			Instant now = now();
			if (this.reservations.insertReleased(orderId, now)) {
				return new ReleaseOutcome.Released(orderId);
			}
			Reservation reservation = this.reservations.lock(orderId)
				.orElseThrow(() -> new IllegalStateException("reservation " + orderId + " vanished"));
			return switch (reservation.status()) {
				case RESERVED -> {
					List<StockChanged> changed = new ArrayList<>();
					for (RecordedLine line : this.reservations.lines(orderId)) {
						changed.add(this.stock.unreserve(line.productId(), line.quantity())
							.orElseThrow(() -> brokenInvariant(orderId, line))
							.changed());
					}
					this.reservations.changeStatus(orderId, ReservationStatus.RESERVED, ReservationStatus.RELEASED, now);
					changed.forEach(this.changes::publish);
					yield new ReleaseOutcome.Released(orderId);
				}
				case RELEASED, EXPIRED, REJECTED, RETURNED -> new ReleaseOutcome.Released(orderId);
				case CONFIRMED -> new Refused(orderId, Refused.Reason.CONFIRMED);
			};
		});
	}

	/**
	 * The stock that left for a confirmed order comes back (the order was refunded): on_hand goes up by each
	 * line's quantity, in product id order, and the reservation becomes RETURNED. RETURNED again answers
	 * Returned and changes nothing. Everything else is {@link Refused} and nothing changes: RESERVED with
	 * reason RESERVED (the stock never left; order-service fails the refund), RELEASED, EXPIRED, REJECTED with
	 * their status (nothing left the warehouse), an unknown order with UNKNOWN_ORDER (nothing stored: unlike a
	 * release, a return cannot overtake the command it follows, which is a confirm answered long before).
	 */
	public ReturnOutcome returnStock(UUID orderId) {
		requireOrderId(orderId);
		return this.transactions.execute(tx -> {
			Optional<Reservation> found = this.reservations.lock(orderId);
			if (found.isEmpty()) {
				return new Refused(orderId, Refused.Reason.UNKNOWN_ORDER);
			}
			return switch (found.get().status()) {
				case CONFIRMED -> {
					List<StockChanged> changed = new ArrayList<>();
					for (RecordedLine line : this.reservations.lines(orderId)) {
						changed.add(this.stock.restock(line.productId(), line.quantity())
							.orElseThrow(() -> new IllegalStateException("reservation " + orderId + " returns "
									+ line.quantity() + " of product " + line.productId()
									+ " but its stock row is missing or cannot hold them"))
							.changed());
					}
					this.reservations.changeStatus(orderId, ReservationStatus.CONFIRMED, ReservationStatus.RETURNED,
							now());
					changed.forEach(this.changes::publish);
					yield new ReturnOutcome.Returned(orderId);
				}
				case RETURNED -> new ReturnOutcome.Returned(orderId);
				case RESERVED -> new Refused(orderId, Refused.Reason.RESERVED);
				case RELEASED -> new Refused(orderId, Refused.Reason.RELEASED);
				case EXPIRED -> new Refused(orderId, Refused.Reason.EXPIRED);
				case REJECTED -> new Refused(orderId, Refused.Reason.REJECTED);
			};
		});
	}

	/** Microseconds, as PostgreSQL stores them, so an answer replayed from the record equals the first one. */
	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static void requireOrderId(UUID orderId) {
		if (orderId == null) {
			throw new IllegalArgumentException("order id is required");
		}
	}

	/** Held units that are not in the stock row: only a manual edit of the tables can cause it. */
	static IllegalStateException brokenInvariant(UUID orderId, RecordedLine line) {
		return new IllegalStateException("reservation " + orderId + " holds " + line.quantity() + " of product "
				+ line.productId() + " but the stock row does not have them reserved");
	}

}
