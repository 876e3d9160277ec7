package com.example.shop.inventory.reservation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.example.shop.inventory.reservation.ReserveOutcome.RejectionReason;
import com.example.shop.inventory.reservation.ReserveOutcome.Rejected;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.inventory.stock.StockRepository;
import com.example.shop.inventory.support.TestStock;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The expiry sweep, called directly with a chosen "now" (the scheduled sweep runs with the real clock and
 * finds nothing due within the 15-minute TTL). Small batches, so a sweep takes several transactions.
 */
@SpringBootTest(properties = "inventory.reservations.expiry.batch-size=7")
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class ReservationExpiryTests {

	private static final Logger log = LoggerFactory.getLogger(ReservationExpiryTests.class);

	/** Past every reservation's expires_at (TTL 15 min). */
	static final Duration LATER = Duration.ofMinutes(16);

	@Autowired
	StockReservations reservations;

	@Autowired
	ReservationExpiry expiry;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JdbcClient jdbc;

	TestStock stock;

	@Autowired
	void testStock(StockLevels levels, StockRepository repository) {
		this.stock = new TestStock(levels, repository, this.jdbc);
	}

	@BeforeEach
	void nothingDue() {
		this.expiry.expireDue(Instant.now().plus(LATER));
	}

	@Test
	void aReservationIsExpiredOnlyOnceItIsDueAndItsStockReturns() {
		UUID[] products = this.stock.productsInLockOrder(10, 10);
		UUID order = UUID.randomUUID();
		this.reservations.reserve(order, List.of(new ReservationLine(products[0], 2), new ReservationLine(products[1], 3)));
		double expiredBefore = this.meters.get("inventory.reservations.expired").counter().count();

		assertThat(this.expiry.expireDue(Instant.now().plus(Duration.ofMinutes(14)))).isZero();
		assertThat(this.stock.status(order)).isEqualTo("RESERVED");

		assertThat(this.expiry.expireDue(Instant.now().plus(LATER))).isEqualTo(1);
		assertThat(this.stock.status(order)).isEqualTo("EXPIRED");
		assertThat(this.stock.stock(products[0]).reserved()).isZero();
		assertThat(this.stock.stock(products[1]).reserved()).isZero();
		assertThat(this.meters.get("inventory.reservations.expired").counter().count() - expiredBefore).isEqualTo(1);

		assertThat(this.expiry.expireDue(Instant.now().plus(LATER))).as("a second sweep finds nothing").isZero();
		assertThat(this.stock.stock(products[0]).reserved()).isZero();
	}

	@Test
	void anExpiredReservationCannotBeConfirmedNorReturnedAndAReleaseOrLateReserveChangesNothing() {
		UUID product = this.stock.product(10);
		UUID order = UUID.randomUUID();
		this.reservations.reserve(order, List.of(new ReservationLine(product, 4)));
		this.expiry.expireDue(Instant.now().plus(LATER));
		var afterExpiry = this.stock.stock(product);

		assertThat(this.reservations.confirm(order)).isEqualTo(new Refused(order, Refused.Reason.EXPIRED));
		assertThat(this.reservations.returnStock(order)).isEqualTo(new Refused(order, Refused.Reason.EXPIRED));
		assertThat(this.reservations.release(order)).isEqualTo(new ReleaseOutcome.Released(order));
		assertThat(this.reservations.reserve(order, List.of(new ReservationLine(product, 4))))
			.isEqualTo(new Rejected(order, RejectionReason.EXPIRED, List.of()));
		assertThat(this.stock.stock(product)).isEqualTo(afterExpiry);
		assertThat(this.stock.status(order)).isEqualTo("EXPIRED");
	}

	@Test
	void confirmedReleasedRejectedAndReturnedReservationsAreNeverExpired() {
		UUID product = this.stock.product(10);
		UUID confirmed = UUID.randomUUID();
		UUID released = UUID.randomUUID();
		UUID rejected = UUID.randomUUID();
		UUID returned = UUID.randomUUID();
		this.reservations.reserve(confirmed, List.of(new ReservationLine(product, 1)));
		this.reservations.confirm(confirmed);
		this.reservations.reserve(returned, List.of(new ReservationLine(product, 2)));
		this.reservations.confirm(returned);
		this.reservations.returnStock(returned);
		this.reservations.reserve(released, List.of(new ReservationLine(product, 1)));
		this.reservations.release(released);
		this.reservations.reserve(rejected, List.of(new ReservationLine(product, 100)));
		var before = this.stock.stock(product);

		assertThat(this.expiry.expireDue(Instant.now().plus(LATER))).isZero();
		assertThat(this.stock.status(confirmed)).isEqualTo("CONFIRMED");
		assertThat(this.stock.status(released)).isEqualTo("RELEASED");
		assertThat(this.stock.status(rejected)).isEqualTo("REJECTED");
		assertThat(this.stock.status(returned)).isEqualTo("RETURNED");
		assertThat(this.stock.stock(product)).isEqualTo(before);
		assertThat(before.onHand()).as("only the confirmed unit left").isEqualTo(9);
	}

	@Test
	void twoSweepersAtOnceExpireEachReservationExactlyOnce() throws Exception {
		UUID[] products = this.stock.productsInLockOrder(100, 100, 100);
		List<UUID> orders = new ArrayList<>();
		for (int i = 0; i < 90; i++) {
			UUID order = UUID.randomUUID();
			orders.add(order);
			// overlapping products, so both sweepers want the same stock rows
			this.reservations.reserve(order, List.of(new ReservationLine(products[i % 3], 1),
					new ReservationLine(products[(i + 1) % 3], 1)));
		}
		assertThat(this.stock.stock(products[0]).reserved()).isEqualTo(60);

		Instant now = Instant.now().plus(LATER);
		ExecutorService sweepers = Executors.newFixedThreadPool(2);
		try {
			CountDownLatch start = new CountDownLatch(1);
			Future<Integer> first = sweepers.submit(() -> {
				start.await();
				return this.expiry.expireDue(now);
			});
			Future<Integer> second = sweepers.submit(() -> {
				start.await();
				return this.expiry.expireDue(now);
			});
			start.countDown();
			int a = first.get(60, TimeUnit.SECONDS);
			int b = second.get(60, TimeUnit.SECONDS);
			log.info("two concurrent sweepers expired {} and {} of 90 reservations", a, b);

			assertThat(a + b).isEqualTo(90);
		}
		finally {
			sweepers.shutdownNow();
		}
		for (UUID order : orders) {
			assertThat(this.stock.status(order)).isEqualTo("EXPIRED");
		}
		for (UUID product : products) {
			assertThat(this.stock.stock(product).reserved()).isZero();
			assertThat(this.stock.stock(product).onHand()).isEqualTo(100);
		}
	}

}
