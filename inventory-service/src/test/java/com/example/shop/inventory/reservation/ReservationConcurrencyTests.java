package com.example.shop.inventory.reservation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.shop.inventory.reservation.ReserveOutcome.RejectionReason;
import com.example.shop.inventory.reservation.ReserveOutcome.Rejected;
import com.example.shop.inventory.reservation.ReserveOutcome.Reserved;
import com.example.shop.inventory.stock.Stock;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.inventory.stock.StockRepository;
import com.example.shop.inventory.support.TestStock;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reservations from many real threads at once against one PostgreSQL database: the conditional updates
 * must hand out exactly the stock there is, all-or-nothing across lines, without deadlocks.
 */
@SpringBootTest
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA })
class ReservationConcurrencyTests {

	private static final Logger log = LoggerFactory.getLogger(ReservationConcurrencyTests.class);

	static final int THREADS = 16;

	@Autowired
	StockReservations reservations;

	@Autowired
	JdbcClient jdbc;

	TestStock stock;

	ExecutorService pool;

	@Autowired
	void testStock(StockLevels levels, StockRepository repository) {
		this.stock = new TestStock(levels, repository, this.jdbc);
	}

	@BeforeEach
	void startThreads() {
		this.pool = Executors.newFixedThreadPool(THREADS);
	}

	@AfterEach
	void stopThreads() throws InterruptedException {
		this.pool.shutdownNow();
		assertThat(this.pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void twoHundredConcurrentOrdersForFiftyUnitsReserveExactlyFifty() throws Exception {
		UUID product = this.stock.product(50);
		List<UUID> orders = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			orders.add(UUID.randomUUID());
		}
		// Watches the row while the orders run: available must never be seen below zero.
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger lowestAvailable = new AtomicInteger(Integer.MAX_VALUE);
		AtomicInteger samples = new AtomicInteger();
		Thread sampler = Thread.ofPlatform().start(() -> {
			while (running.get()) {
				int available = this.jdbc.sql("SELECT on_hand - reserved FROM stock WHERE product_id = :id")
					.param("id", product)
					.query(Integer.class)
					.single();
				lowestAvailable.accumulateAndGet(available, Math::min);
				samples.incrementAndGet();
			}
		});

		long started = System.nanoTime();
		Map<UUID, ReserveOutcome> outcomes = runTogether(orders,
				order -> this.reservations.reserve(order, List.of(new ReservationLine(product, 1))));
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		running.set(false);
		sampler.join();

		long reserved = outcomes.values().stream().filter(Reserved.class::isInstance).count();
		long rejected = outcomes.values()
			.stream()
			.filter(o -> o instanceof Rejected r && r.reason() == RejectionReason.OUT_OF_STOCK)
			.count();
		Stock after = this.stock.stock(product);
		log.info("200 concurrent reservations of 1 unit against 50 on {} threads: {} reserved, {} rejected in {} ms;"
				+ " database after: on_hand {}, reserved {}, available {}; lowest available seen {} in {} samples",
				THREADS, reserved, rejected, millis, after.onHand(), after.reserved(), after.available(),
				lowestAvailable.get(), samples.get());

		assertThat(reserved).isEqualTo(50);
		assertThat(rejected).isEqualTo(150);
		assertThat(after.onHand()).isEqualTo(50);
		assertThat(after.reserved()).isEqualTo(50);
		assertThat(after.available()).isZero();
		assertThat(lowestAvailable.get()).isGreaterThanOrEqualTo(0);
		assertThat(samples.get()).isPositive();
		assertThat(this.stock.reservationsWithStatus("RESERVED", product)).isEqualTo(50);
		assertThat(this.stock.reservationsWithStatus("REJECTED", product)).isEqualTo(150);
		assertThat(heldInLines(product)).isEqualTo(50);

		// Every command delivered again, concurrently: the same answers, not one unit more or less.
		Map<UUID, ReserveOutcome> again = runTogether(orders,
				order -> this.reservations.reserve(order, List.of(new ReservationLine(product, 1))));
		assertThat(again).isEqualTo(outcomes);
		assertThat(this.stock.stock(product)).isEqualTo(after);
	}

	@Test
	void multiLineOrdersLockingInAnyOrderHoldAllOrNothingWithoutDeadlock() throws Exception {
		UUID scarce = this.stock.product(30);
		UUID plenty = this.stock.product(1000);
		List<UUID> orders = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			orders.add(UUID.randomUUID());
		}
		// Half name the products in one order, half in the other: only sorting prevents lock cycles.
		Map<UUID, ReserveOutcome> outcomes = runTogether(orders, order -> {
			List<ReservationLine> lines = (order.hashCode() % 2 == 0)
					? List.of(new ReservationLine(scarce, 1), new ReservationLine(plenty, 2))
					: List.of(new ReservationLine(plenty, 2), new ReservationLine(scarce, 1));
			return this.reservations.reserve(order, lines);
		});

		long reserved = outcomes.values().stream().filter(Reserved.class::isInstance).count();
		assertThat(reserved).isEqualTo(30);
		assertThat(this.stock.stock(scarce).reserved()).isEqualTo(30);
		// all or nothing: the plentiful product is held only for the orders that got the scarce one
		assertThat(this.stock.stock(plenty).reserved()).isEqualTo(60);
	}

	@Test
	void aReleaseRacingTheReserveOfItsOrderNeverLeavesStockHeld() throws Exception {
		UUID product = this.stock.product(1000);
		List<UUID> orders = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			orders.add(UUID.randomUUID());
		}
		List<Callable<Object>> calls = new ArrayList<>();
		for (UUID order : orders) {
			calls.add(() -> this.reservations.reserve(order, List.of(new ReservationLine(product, 3))));
			calls.add(() -> this.reservations.release(order));
		}
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Object>> results = new ArrayList<>();
		for (Callable<Object> call : calls) {
			results.add(this.pool.submit(() -> {
				start.await();
				return call.call();
			}));
		}
		start.countDown();

		int reserveWon = 0;
		int releaseWon = 0;
		for (int i = 0; i < results.size(); i += 2) {
			UUID order = orders.get(i / 2);
			Object reserve = results.get(i).get(30, TimeUnit.SECONDS);
			Object release = results.get(i + 1).get(30, TimeUnit.SECONDS);
			assertThat(release).isEqualTo(new ReleaseOutcome.Released(order));
			if (reserve instanceof Reserved) {
				reserveWon++; // then the release gave the 3 units back
			}
			else {
				releaseWon++; // the tombstone came first
				assertThat(reserve).isEqualTo(new Rejected(order, RejectionReason.RELEASED, List.of()));
			}
			assertThat(this.stock.status(order)).isEqualTo("RELEASED");
		}
		log.info("release racing reserve for 60 orders: reserve first {} times, release first {} times", reserveWon,
				releaseWon);
		assertThat(this.stock.stock(product).reserved()).isZero();
		assertThat(this.stock.stock(product).onHand()).isEqualTo(1000);
	}

	/**
	 * Every return of 30 confirmed orders delivered four times at once, while other orders reserve and confirm
	 * the same product: each order's units come back exactly once, and every copy answers Returned.
	 */
	@Test
	void concurrentCopiesOfAReturnPutTheStockBackExactlyOnce() throws Exception {
		UUID product = this.stock.product(100);
		List<UUID> refunded = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			UUID order = UUID.randomUUID();
			this.reservations.reserve(order, List.of(new ReservationLine(product, 2)));
			this.reservations.confirm(order);
			refunded.add(order);
		}
		assertThat(this.stock.stock(product).onHand()).isEqualTo(40);
		List<UUID> buying = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			buying.add(UUID.randomUUID());
		}
		List<Callable<Object>> calls = new ArrayList<>();
		for (int copy = 0; copy < 4; copy++) {
			for (UUID order : refunded) {
				calls.add(() -> this.reservations.returnStock(order));
			}
		}
		for (UUID order : buying) {
			calls.add(() -> {
				this.reservations.reserve(order, List.of(new ReservationLine(product, 1)));
				return this.reservations.confirm(order);
			});
		}
		Collections.shuffle(calls);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Object>> results = new ArrayList<>();
		for (Callable<Object> call : calls) {
			results.add(this.pool.submit(() -> {
				start.await();
				return call.call();
			}));
		}
		start.countDown();
		List<Object> outcomes = new ArrayList<>();
		for (Future<Object> result : results) {
			outcomes.add(result.get(60, TimeUnit.SECONDS));
		}

		assertThat(outcomes).filteredOn(ReturnOutcome.Returned.class::isInstance).hasSize(120);
		assertThat(outcomes).filteredOn(ConfirmOutcome.Confirmed.class::isInstance).hasSize(10);
		Stock after = this.stock.stock(product);
		// 100 - 30 x 2 confirmed + 30 x 2 returned - 10 x 1 confirmed
		assertThat(after.onHand()).isEqualTo(90);
		assertThat(after.reserved()).isZero();
		// created, 30 reserves and 30 confirms, 10 reserves and 10 confirms, 30 returns: one change each
		assertThat(after.version()).isEqualTo(110);
		assertThat(this.stock.reservationsWithStatus("RETURNED", product)).isEqualTo(30);
		assertThat(this.stock.reservationsWithStatus("CONFIRMED", product)).isEqualTo(10);
	}

	@Test
	void theDatabaseItselfRefusesNegativeStock() {
		UUID product = this.stock.product(5);
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.sql("UPDATE stock SET reserved = 6 WHERE product_id = :id")
				.param("id", product)
				.update())
			.withMessageContaining("stock_available_not_negative");
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.sql("UPDATE stock SET on_hand = -1, reserved = -1 WHERE product_id = :id")
				.param("id", product)
				.update())
			.withMessageContaining("violates check constraint \"stock_");
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.jdbc.sql("UPDATE stock SET reserved = -1, on_hand = 10 WHERE product_id = :id")
				.param("id", product)
				.update())
			.withMessageContaining("stock_reserved_not_negative");
		assertThat(this.stock.stock(product).available()).isEqualTo(5);
	}

	@Test
	void theLockOrderIsTheOrderPostgresqlSortsUuidsIn() {
		for (int i = 0; i < 20; i++) {
			this.stock.product(1);
		}
		List<UUID> database = this.jdbc.sql("SELECT product_id FROM stock ORDER BY product_id").query(UUID.class).list();
		assertThat(database).hasSizeGreaterThan(20).isSortedAccordingTo(StockRepository.LOCK_ORDER);
	}

	private long heldInLines(UUID product) {
		return this.jdbc.sql("""
				SELECT coalesce(sum(l.quantity), 0) FROM reservation_line l JOIN reservation r USING (order_id)
				WHERE l.product_id = :id AND r.status = 'RESERVED'""")
			.param("id", product)
			.query(Long.class)
			.single();
	}

	/** Runs the call for every order on the pool, all released at the same moment. */
	private Map<UUID, ReserveOutcome> runTogether(List<UUID> orders, java.util.function.Function<UUID, ReserveOutcome> call)
			throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		Map<UUID, Future<ReserveOutcome>> futures = new ConcurrentHashMap<>();
		for (UUID order : orders) {
			futures.put(order, this.pool.submit(() -> {
				start.await();
				return call.apply(order);
			}));
		}
		start.countDown();
		Map<UUID, ReserveOutcome> outcomes = new ConcurrentHashMap<>();
		for (Map.Entry<UUID, Future<ReserveOutcome>> future : futures.entrySet()) {
			outcomes.put(future.getKey(), future.getValue().get(60, TimeUnit.SECONDS));
		}
		return outcomes;
	}

}
