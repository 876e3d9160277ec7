package com.example.shop.inventory.reservation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import com.example.shop.inventory.reservation.ReserveOutcome.RejectionReason;
import com.example.shop.inventory.reservation.ReserveOutcome.Rejected;
import com.example.shop.inventory.reservation.ReserveOutcome.Reserved;
import com.example.shop.inventory.reservation.ReserveOutcome.ShortLine;
import com.example.shop.inventory.stock.Stock;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.inventory.stock.StockRepository;
import com.example.shop.inventory.support.RecordingStockChangeListener;
import com.example.shop.inventory.support.TestStock;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Reserve, confirm, release and return against PostgreSQL: every transition, and every command delivered twice
 * (same outcome, stock changed once).
 */
@SpringBootTest
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class StockReservationsTests {

	@Autowired
	StockReservations reservations;

	@Autowired
	RecordingStockChangeListener listener;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	TestStock stock;

	@Autowired
	void testStock(StockLevels levels, StockRepository repository) {
		this.stock = new TestStock(levels, repository, this.jdbc);
	}

	@BeforeEach
	void forgetEarlierChanges() {
		this.listener.clear();
	}

	@Test
	void reserveHoldsEveryLineAndADeliveredTwiceReserveChangesNothing() {
		UUID[] products = this.stock.productsInLockOrder(10, 5);
		UUID order = UUID.randomUUID();
		Instant before = Instant.now();

		ReserveOutcome first = this.reservations.reserve(order,
				List.of(line(products[1], 5), line(products[0], 3)));

		assertThat(first).isInstanceOfSatisfying(Reserved.class, reserved -> {
			assertThat(reserved.orderId()).isEqualTo(order);
			// one line per product, in lock (product id) order
			assertThat(reserved.lines()).containsExactly(line(products[0], 3), line(products[1], 5));
			assertThat(reserved.expiresAt()).isBetween(before.plus(Duration.ofMinutes(15)),
					Instant.now().plus(Duration.ofMinutes(15)));
		});
		assertLevels(products[0], 10, 3);
		assertLevels(products[1], 5, 5);
		assertThat(this.stock.status(order)).isEqualTo("RESERVED");
		Stock afterFirst = this.stock.stock(products[0]);

		ReserveOutcome second = this.reservations.reserve(order,
				List.of(line(products[1], 5), line(products[0], 3)));

		assertThat(second).isEqualTo(first);
		assertThat(this.stock.stock(products[0])).isEqualTo(afterFirst);
		assertLevels(products[1], 5, 5);
	}

	@Test
	void linesNamingTheSameProductAreMerged() {
		UUID product = this.stock.product(10);
		ReserveOutcome outcome = this.reservations.reserve(UUID.randomUUID(),
				List.of(line(product, 2), line(product, 3)));
		assertThat(outcome).isInstanceOfSatisfying(Reserved.class,
				reserved -> assertThat(reserved.lines()).containsExactly(line(product, 5)));
		assertLevels(product, 10, 5);

		// merged, 6 + 6 exceeds the 5 left even though each line alone would fit
		ReserveOutcome tooMuch = this.reservations.reserve(UUID.randomUUID(),
				List.of(line(product, 3), line(product, 3)));
		assertThat(tooMuch).isEqualTo(new Rejected(tooMuch.orderId(), RejectionReason.OUT_OF_STOCK,
				List.of(new ShortLine(product, 6, 5))));
	}

	@Test
	void whenTheSecondLineIsShortTheFirstIsNotHeldEither() {
		// products[0] is reserved first and fits; products[1] comes second and is short
		UUID[] products = this.stock.productsInLockOrder(10, 1);
		Stock firstBefore = this.stock.stock(products[0]);
		this.listener.clear();
		UUID order = UUID.randomUUID();

		ReserveOutcome outcome = this.reservations.reserve(order, List.of(line(products[0], 3), line(products[1], 2)));

		Rejected expected = new Rejected(order, RejectionReason.OUT_OF_STOCK, List.of(new ShortLine(products[1], 2, 1)));
		assertThat(outcome).isEqualTo(expected);
		assertThat(this.stock.stock(products[0])).isEqualTo(firstBefore);
		assertLevels(products[1], 1, 0);
		assertThat(this.stock.status(order)).isEqualTo("REJECTED");
		assertThat(this.listener.handed()).isEmpty();

		// Redelivered after a restock: the recorded rejection, not a new decision.
		setOnHand(products[1], 100);
		assertThat(this.reservations.reserve(order, List.of(line(products[0], 3), line(products[1], 2))))
			.isEqualTo(expected);
		assertLevels(products[0], 10, 0);
		assertLevels(products[1], 100, 0);
	}

	@Test
	void everyShortLineIsReportedWithWhatWasAvailable() {
		UUID[] products = this.stock.productsInLockOrder(1, 10, 0);
		UUID order = UUID.randomUUID();
		ReserveOutcome outcome = this.reservations.reserve(order,
				List.of(line(products[0], 2), line(products[1], 4), line(products[2], 1)));
		assertThat(outcome).isEqualTo(new Rejected(order, RejectionReason.OUT_OF_STOCK,
				List.of(new ShortLine(products[0], 2, 1), new ShortLine(products[2], 1, 0))));
		assertLevels(products[1], 10, 0);
	}

	@Test
	void anUnknownProductRejectsTheWholeReservation() {
		UUID known = this.stock.product(10);
		UUID unknown = UUID.randomUUID();
		UUID order = UUID.randomUUID();

		ReserveOutcome outcome = this.reservations.reserve(order, List.of(line(known, 1), line(unknown, 2)));

		Rejected expected = new Rejected(order, RejectionReason.UNKNOWN_PRODUCT, List.of(new ShortLine(unknown, 2, 0)));
		assertThat(outcome).isEqualTo(expected);
		assertLevels(known, 10, 0);
		assertThat(this.reservations.reserve(order, List.of(line(known, 1), line(unknown, 2)))).isEqualTo(expected);
	}

	@Test
	void confirmTakesTheStockOutOnceHoweverOftenItIsDelivered() {
		UUID[] products = this.stock.productsInLockOrder(10, 20);
		UUID order = UUID.randomUUID();
		ReserveOutcome reserved = this.reservations.reserve(order, List.of(line(products[0], 4), line(products[1], 6)));

		assertThat(this.reservations.confirm(order)).isEqualTo(new ConfirmOutcome.Confirmed(order));
		assertLevels(products[0], 6, 0);
		assertLevels(products[1], 14, 0);
		assertThat(this.stock.status(order)).isEqualTo("CONFIRMED");
		Stock afterConfirm = this.stock.stock(products[0]);

		assertThat(this.reservations.confirm(order)).isEqualTo(new ConfirmOutcome.Confirmed(order));
		assertThat(this.stock.stock(products[0])).isEqualTo(afterConfirm);
		assertLevels(products[1], 14, 0);

		// A reserve delivered again after the confirm answers what it answered, and holds nothing new.
		assertThat(this.reservations.reserve(order, List.of(line(products[0], 4), line(products[1], 6))))
			.isEqualTo(reserved);
		assertThat(this.stock.stock(products[0])).isEqualTo(afterConfirm);
	}

	@Test
	void confirmIsRefusedUnlessStockIsHeld() {
		UUID product = this.stock.product(10);

		UUID unknown = UUID.randomUUID();
		assertThat(this.reservations.confirm(unknown)).isEqualTo(new Refused(unknown, Refused.Reason.UNKNOWN_ORDER));
		assertThat(this.stock.status(unknown)).as("a refused confirm stores nothing").isNull();

		UUID released = UUID.randomUUID();
		this.reservations.reserve(released, List.of(line(product, 2)));
		this.reservations.release(released);
		assertThat(this.reservations.confirm(released)).isEqualTo(new Refused(released, Refused.Reason.RELEASED));
		assertThat(this.reservations.confirm(released)).isEqualTo(new Refused(released, Refused.Reason.RELEASED));

		UUID rejected = UUID.randomUUID();
		this.reservations.reserve(rejected, List.of(line(product, 11)));
		assertThat(this.reservations.confirm(rejected)).isEqualTo(new Refused(rejected, Refused.Reason.REJECTED));

		assertLevels(product, 10, 0);
		assertThat(this.stock.status(released)).isEqualTo("RELEASED");
		assertThat(this.stock.status(rejected)).isEqualTo("REJECTED");
	}

	@Test
	void releaseReturnsTheStockOnceAndALateReserveHoldsNothing() {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();
		this.reservations.reserve(order, List.of(line(product, 7)));
		assertLevels(product, 10, 7);

		assertThat(this.reservations.release(order)).isEqualTo(new ReleaseOutcome.Released(order));
		assertLevels(product, 10, 0);
		assertThat(this.stock.status(order)).isEqualTo("RELEASED");
		Stock afterRelease = this.stock.stock(product);

		assertThat(this.reservations.release(order)).isEqualTo(new ReleaseOutcome.Released(order));
		assertThat(this.stock.stock(product)).isEqualTo(afterRelease);

		Rejected late = new Rejected(order, RejectionReason.RELEASED, List.of());
		assertThat(this.reservations.reserve(order, List.of(line(product, 7)))).isEqualTo(late);
		assertThat(this.reservations.reserve(order, List.of(line(product, 7)))).isEqualTo(late);
		assertThat(this.stock.stock(product)).isEqualTo(afterRelease);
	}

	@Test
	void aReleaseThatOvertakesItsReserveLeavesATombstoneThatRefusesTheReserve() {
		UUID product = this.stock.product(10);
		Stock before = this.stock.stock(product);
		this.listener.clear();
		UUID order = UUID.randomUUID();

		assertThat(this.reservations.release(order)).isEqualTo(new ReleaseOutcome.Released(order));
		assertThat(this.stock.status(order)).isEqualTo("RELEASED");
		assertThat(this.reservations.release(order)).isEqualTo(new ReleaseOutcome.Released(order));

		assertThat(this.reservations.reserve(order, List.of(line(product, 3))))
			.isEqualTo(new Rejected(order, RejectionReason.RELEASED, List.of()));
		assertThat(this.stock.stock(product)).isEqualTo(before);
		assertThat(this.listener.handed()).isEmpty();
	}

	@Test
	void releaseOfAConfirmedReservationIsRefusedAndOfARejectedOneIsReleased() {
		UUID product = this.stock.product(10);
		UUID confirmed = UUID.randomUUID();
		this.reservations.reserve(confirmed, List.of(line(product, 4)));
		this.reservations.confirm(confirmed);
		Stock afterConfirm = this.stock.stock(product);

		assertThat(this.reservations.release(confirmed)).isEqualTo(new Refused(confirmed, Refused.Reason.CONFIRMED));
		assertThat(this.reservations.release(confirmed)).isEqualTo(new Refused(confirmed, Refused.Reason.CONFIRMED));
		assertThat(this.stock.stock(product)).isEqualTo(afterConfirm);
		assertThat(this.stock.status(confirmed)).isEqualTo("CONFIRMED");

		UUID rejected = UUID.randomUUID();
		this.reservations.reserve(rejected, List.of(line(product, 100)));
		assertThat(this.reservations.release(rejected)).isEqualTo(new ReleaseOutcome.Released(rejected));
		assertThat(this.stock.status(rejected)).isEqualTo("REJECTED");
		assertThat(this.stock.stock(product)).isEqualTo(afterConfirm);
	}

	@Test
	void returnPutsAConfirmedOrdersStockBackOnHandOnceHoweverOftenItIsDelivered() {
		UUID[] products = this.stock.productsInLockOrder(10, 20);
		UUID order = UUID.randomUUID();
		UUID other = UUID.randomUUID();
		ReserveOutcome reserved = this.reservations.reserve(order, List.of(line(products[1], 6), line(products[0], 4)));
		this.reservations.confirm(order);
		// another order's hold on the same product must stay as it is
		this.reservations.reserve(other, List.of(line(products[0], 3)));
		assertLevels(products[0], 6, 3);
		assertLevels(products[1], 14, 0);
		this.listener.clear();

		assertThat(this.reservations.returnStock(order)).isEqualTo(new ReturnOutcome.Returned(order));

		assertLevels(products[0], 10, 3);
		assertLevels(products[1], 20, 0);
		assertThat(this.stock.stock(products[0]).available()).isEqualTo(7);
		assertThat(this.stock.status(order)).isEqualTo("RETURNED");
		assertThat(this.listener.handed()).hasSize(2).allSatisfy(handed -> assertThat(handed.inTransaction()).isTrue());
		assertThat(this.listener.handed()).extracting(h -> h.change().productId()).containsExactly(products[0], products[1]);
		assertThat(this.listener.handed()).extracting(h -> h.change().onHand()).containsExactly(10, 20);
		assertThat(this.listener.handed()).extracting(h -> h.change().available()).containsExactly(7, 20);
		assertThat(this.listener.handed().getFirst().change().version())
			.as("created, reserved, confirmed, reserved by the other order, returned")
			.isEqualTo(4)
			.isEqualTo(this.stock.stock(products[0]).version());
		Stock afterReturn = this.stock.stock(products[0]);
		this.listener.clear();

		assertThat(this.reservations.returnStock(order)).isEqualTo(new ReturnOutcome.Returned(order));
		assertThat(this.stock.stock(products[0])).isEqualTo(afterReturn);
		assertLevels(products[1], 20, 0);

		// Every other command of the order, late or re-sent, replays what it decided and moves no stock.
		assertThat(this.reservations.reserve(order, List.of(line(products[0], 4), line(products[1], 6))))
			.isEqualTo(reserved);
		assertThat(this.reservations.confirm(order)).isEqualTo(new ConfirmOutcome.Confirmed(order));
		assertThat(this.reservations.release(order)).isEqualTo(new ReleaseOutcome.Released(order));
		assertThat(this.stock.stock(products[0])).isEqualTo(afterReturn);
		assertLevels(products[1], 20, 0);
		assertThat(this.stock.status(order)).isEqualTo("RETURNED");
		assertThat(this.listener.handed()).isEmpty();
	}

	@Test
	void returnIsRefusedUnlessTheStockLeftAndChangesNothing() {
		UUID product = this.stock.product(10);

		UUID unknown = UUID.randomUUID();
		UUID reserved = UUID.randomUUID();
		UUID released = UUID.randomUUID();
		UUID rejected = UUID.randomUUID();
		this.reservations.reserve(reserved, List.of(line(product, 2)));
		this.reservations.reserve(released, List.of(line(product, 5)));
		this.reservations.release(released);
		this.reservations.reserve(rejected, List.of(line(product, 11)));
		Stock before = this.stock.stock(product);
		assertLevels(product, 10, 2);
		this.listener.clear();

		for (int delivery = 0; delivery < 2; delivery++) {
			assertThat(this.reservations.returnStock(unknown)).isEqualTo(new Refused(unknown, Refused.Reason.UNKNOWN_ORDER));
			assertThat(this.reservations.returnStock(reserved)).isEqualTo(new Refused(reserved, Refused.Reason.RESERVED));
			assertThat(this.reservations.returnStock(released)).isEqualTo(new Refused(released, Refused.Reason.RELEASED));
			assertThat(this.reservations.returnStock(rejected)).isEqualTo(new Refused(rejected, Refused.Reason.REJECTED));
		}

		assertThat(this.stock.stock(product)).isEqualTo(before);
		assertThat(this.listener.handed()).isEmpty();
		assertThat(this.stock.status(unknown)).as("a refused return stores nothing").isNull();
		assertThat(this.stock.status(reserved)).isEqualTo("RESERVED");
		assertThat(this.stock.status(released)).isEqualTo("RELEASED");
		assertThat(this.stock.status(rejected)).isEqualTo("REJECTED");

		// The saga's way out of a refused RESERVED: release it; then the stock is free and a return still refused.
		assertThat(this.reservations.release(reserved)).isEqualTo(new ReleaseOutcome.Released(reserved));
		assertLevels(product, 10, 0);
		assertThat(this.reservations.returnStock(reserved)).isEqualTo(new Refused(reserved, Refused.Reason.RELEASED));
		assertLevels(product, 10, 0);
	}

	@Test
	void aReturnRolledBackWithItsCallersTransactionLeavesTheOrderConfirmedAndCanBeRepeated() {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();
		this.reservations.reserve(order, List.of(line(product, 4)));
		this.reservations.confirm(order);

		this.transactions.executeWithoutResult(tx -> {
			assertThat(this.reservations.returnStock(order)).isEqualTo(new ReturnOutcome.Returned(order));
			tx.setRollbackOnly(); // e.g. the reply's outbox insert failed
		});
		assertLevels(product, 6, 0);
		assertThat(this.stock.status(order)).isEqualTo("CONFIRMED");

		assertThat(this.reservations.returnStock(order)).isEqualTo(new ReturnOutcome.Returned(order));
		assertLevels(product, 10, 0);
		assertThat(this.stock.status(order)).isEqualTo("RETURNED");
	}

	@Test
	void everyStockChangeIsHandedToTheListenersInsideItsTransaction() {
		UUID[] products = this.stock.productsInLockOrder(10, 10);
		this.listener.clear();
		UUID order = UUID.randomUUID();

		this.reservations.reserve(order, List.of(line(products[0], 1), line(products[1], 2)));
		assertThat(this.listener.handed()).hasSize(2).allSatisfy(handed -> assertThat(handed.inTransaction()).isTrue());
		assertThat(this.listener.handed()).extracting(h -> h.change().productId()).containsExactly(products[0], products[1]);
		assertThat(this.listener.handed().get(1).change()).satisfies(change -> {
			assertThat(change.onHand()).isEqualTo(10);
			assertThat(change.reserved()).isEqualTo(2);
			assertThat(change.available()).isEqualTo(8);
			assertThat(change.version()).isEqualTo(this.stock.stock(products[1]).version());
		});

		this.listener.clear();
		this.reservations.reserve(order, List.of(line(products[0], 1), line(products[1], 2)));
		assertThat(this.listener.handed()).as("a redelivered reserve changes nothing").isEmpty();

		this.reservations.confirm(order);
		assertThat(this.listener.handed()).extracting(h -> h.change().onHand()).containsExactly(9, 8);
		this.listener.clear();
		this.reservations.confirm(order);
		this.reservations.release(order);
		assertThat(this.listener.handed()).isEmpty();

		UUID released = UUID.randomUUID();
		this.reservations.reserve(released, List.of(line(products[0], 5)));
		this.listener.clear();
		this.reservations.release(released);
		assertThat(this.listener.handed()).singleElement().satisfies(handed -> {
			assertThat(handed.inTransaction()).isTrue();
			assertThat(handed.change().reserved()).isZero();
			assertThat(handed.change().available()).isEqualTo(9);
		});
	}

	@Test
	void insideACallersTransactionEverythingCommitsOrRollsBackWithIt() {
		// What the messaging adapter does: record the message id (inbox) and call the seam in one transaction.
		this.jdbc.sql("CREATE TABLE IF NOT EXISTS test_inbox (message_id UUID PRIMARY KEY)").update();
		UUID[] products = this.stock.productsInLockOrder(10, 1);
		UUID rolledBack = UUID.randomUUID();
		UUID rejected = UUID.randomUUID();
		UUID reserved = UUID.randomUUID();

		this.transactions.executeWithoutResult(tx -> {
			recordMessage(rolledBack);
			this.reservations.reserve(rolledBack, List.of(line(products[0], 2)));
			tx.setRollbackOnly(); // e.g. the outbox insert failed
		});
		assertThat(this.stock.status(rolledBack)).isNull();
		assertThat(inboxed(rolledBack)).isFalse();
		assertLevels(products[0], 10, 0);

		// the rejection rolls back only to its savepoint: the caller's own writes before it stay
		this.transactions.executeWithoutResult(tx -> {
			recordMessage(rejected);
			assertThat(this.reservations.reserve(rejected, List.of(line(products[0], 2), line(products[1], 2))))
				.isInstanceOf(Rejected.class);
			recordMessage(reserved);
			assertThat(this.reservations.reserve(reserved, List.of(line(products[0], 2)))).isInstanceOf(Reserved.class);
		});
		assertThat(inboxed(rejected)).isTrue();
		assertThat(inboxed(reserved)).isTrue();
		assertThat(this.stock.status(rejected)).isEqualTo("REJECTED");
		assertThat(this.stock.status(reserved)).isEqualTo("RESERVED");
		assertLevels(products[0], 10, 2);
		assertLevels(products[1], 1, 0);
	}

	private void recordMessage(UUID id) {
		this.jdbc.sql("INSERT INTO test_inbox (message_id) VALUES (:id)").param("id", id).update();
	}

	private boolean inboxed(UUID id) {
		return this.jdbc.sql("SELECT count(*) FROM test_inbox WHERE message_id = :id").param("id", id).query(Long.class)
			.single() == 1;
	}

	@Test
	void decisionsAreCountedOnceByOutcome() {
		UUID product = this.stock.product(1);
		double reservedBefore = count("reserved");
		double rejectedBefore = count("rejected");

		UUID fits = UUID.randomUUID();
		UUID tooMany = UUID.randomUUID();
		for (int delivery = 0; delivery < 2; delivery++) {
			this.reservations.reserve(fits, List.of(line(product, 1)));
			this.reservations.reserve(tooMany, List.of(line(product, 1)));
		}

		assertThat(count("reserved") - reservedBefore).isEqualTo(1);
		assertThat(count("rejected") - rejectedBefore).isEqualTo(1);
	}

	@Test
	void malformedCommandsAreRefusedAndStoreNothing() {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.reserve(order, List.of()))
			.withMessageContaining("at least one line");
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.reserve(order, null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.reserve(order, List.of(line(product, 0))))
			.withMessageContaining("line 0 quantity must be between 1 and 1000000, got 0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.reservations.reserve(order, List.of(line(product, 1), line(product, -3))))
			.withMessageContaining("line 1 quantity");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.reservations.reserve(order, List.of(line(product, ReservationLine.MAX_QUANTITY + 1))));
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.reserve(order, List.of(line(null, 1))))
			.withMessageContaining("line 0 has no product id");
		List<ReservationLine> tooMany = new ArrayList<>(Collections.nCopies(ReservationLine.MAX_LINES + 1, line(product, 1)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.reserve(order, tooMany))
			.withMessageContaining("at most 100 lines");
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.reserve(null, List.of(line(product, 1))));
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.confirm(null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.release(null));
		assertThatIllegalArgumentException().isThrownBy(() -> this.reservations.returnStock(null));

		assertThat(this.stock.status(order)).isNull();
		assertLevels(product, 10, 0);
	}

	private double count(String outcome) {
		return this.meters.get("inventory.reservations").tag("outcome", outcome).counter().count();
	}

	private void setOnHand(UUID product, int onHand) {
		this.jdbc.sql("UPDATE stock SET on_hand = :onHand WHERE product_id = :id")
			.param("onHand", onHand)
			.param("id", product)
			.update();
	}

	private void assertLevels(UUID product, int onHand, int reserved) {
		Stock stock = this.stock.stock(product);
		assertThat(stock.onHand()).as("on hand").isEqualTo(onHand);
		assertThat(stock.reserved()).as("reserved").isEqualTo(reserved);
	}

	static ReservationLine line(UUID product, int quantity) {
		return new ReservationLine(product, quantity);
	}

	@TestConfiguration
	static class Listeners {

		@Bean
		RecordingStockChangeListener recordingStockChangeListener() {
			return new RecordingStockChangeListener();
		}

	}

}
