package com.example.shop.order.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;

import com.example.shop.order.support.Callers;
import com.example.shop.order.support.Database;
import com.example.shop.order.support.GrpcPeers;
import com.example.shop.order.support.OrderRequests;
import com.example.shop.order.support.OrderServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.transaction.support.TransactionTemplate;

import static com.example.shop.order.support.TestCatalogServer.BOOK;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Step deadlines live in the database, so sweepers of several replicas (here: several threads sweeping at
 * once, as replicas would) fire each due deadline exactly once and skip an order someone else holds.
 */
@OrderServiceTest
class StepTimeoutSweeperTests {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		GrpcPeers.register(registry);
		registry.add("shop.messaging.outbox.relay-enabled", () -> false);
		// The test sweeps itself.
		registry.add("shop.orders.saga.sweep-interval", () -> "1h");
		registry.add("shop.orders.saga.sweep-batch-size", () -> "7");
	}

	@Autowired
	StepTimeoutSweeper sweeper;

	@Autowired
	RestTestClient client;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	SagaInFlightGauge inFlight;

	@Autowired
	MeterRegistry meters;

	Database db;

	@BeforeEach
	void setUp() {
		GrpcPeers.reset();
		this.db = new Database(this.jdbc);
	}

	@Test
	void concurrentSweepersFireEachDueDeadlineExactlyOnce() throws Exception {
		List<UUID> orders = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			orders.add(place());
		}
		UUID notDue = place();
		overdue(orders);

		CountDownLatch start = new CountDownLatch(1);
		List<Future<Integer>> sweeps = new ArrayList<>();
		try (ExecutorService replicas = Executors.newFixedThreadPool(4)) {
			for (int replica = 0; replica < 4; replica++) {
				sweeps.add(replicas.submit((Callable<Integer>) () -> {
					start.await();
					int fired = 0;
					// Small batches, swept until nothing is due: the replicas race for the same rows.
					for (int round = 0; round < 10; round++) {
						fired += this.sweeper.sweep();
					}
					return fired;
				}));
			}
			start.countDown();
			int fired = 0;
			for (Future<Integer> sweep : sweeps) {
				fired += sweep.get(60, TimeUnit.SECONDS);
			}
			assertThat(fired).isEqualTo(30);
		}
		for (UUID order : orders) {
			assertThat(this.db.status(order)).isEqualTo("COMPENSATING");
			assertThat(this.db.outboxTypes(order)).containsExactlyInAnyOrder("ReserveStock", "OrderPlaced",
					"ReleaseReservation", "OrderStatusChanged");
		}
		assertThat(this.db.status(notDue)).isEqualTo("PENDING");
	}

	@Test
	void anOrderHeldByAnotherTransactionIsSkippedNotWaitedFor() throws Exception {
		UUID held = place();
		UUID free = place();
		overdue(List.of(held, free));
		CountDownLatch locked = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(1);
		try (ExecutorService other = Executors.newSingleThreadExecutor()) {
			Future<?> holder = other.submit(() -> this.transactions.executeWithoutResult((tx) -> {
				// A reply being applied to the order on another replica holds its row like this.
				this.jdbc.sql("SELECT id FROM customer_order WHERE id = :id FOR UPDATE").param("id", held).query(UUID.class).single();
				locked.countDown();
				try {
					done.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
			assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
			long started = System.nanoTime();
			assertThat(this.sweeper.sweep()).isEqualTo(1);
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5000);
			assertThat(this.db.status(free)).isEqualTo("COMPENSATING");
			assertThat(this.db.status(held)).isEqualTo("PENDING");
			done.countDown();
			holder.get(10, TimeUnit.SECONDS);
		}
		assertThat(this.sweeper.sweep()).as("fired at the next sweep").isEqualTo(1);
		assertThat(this.db.status(held)).isEqualTo("COMPENSATING");
	}

	@Test
	void timeoutsCompensationsAndOrdersInFlightAreCountedPerStep() {
		assertThat(this.meters.get("saga.step.timeouts").tag("step", "AWAITING_PAYMENT").counter().count())
			.as("registered at 0 before anything happened").isZero();
		assertThat(this.meters.get("saga.compensations").tag("reason", "PAYMENT_DECLINED").counter().count()).isZero();
		double pendingTimeoutsBefore = count("saga.step.timeouts", "step", "PENDING");
		double timeoutCompensationsBefore = count("saga.compensations", "reason", "TIMEOUT");
		List<UUID> orders = List.of(place(), place(), place());

		this.inFlight.refresh();
		assertThat(inFlight("PENDING")).as("a count of the table").isEqualTo(this.db.countWithStatus("PENDING"))
			.isGreaterThanOrEqualTo(3);
		assertThat(inFlight("COMPENSATING")).isEqualTo(this.db.countWithStatus("COMPENSATING"));

		overdue(orders);
		sweepUntilQuiet();

		assertThat(count("saga.step.timeouts", "step", "PENDING") - pendingTimeoutsBefore).isGreaterThanOrEqualTo(3);
		assertThat(count("saga.compensations", "reason", "TIMEOUT") - timeoutCompensationsBefore)
			.as("each timed-out PENDING order starts a compensation").isEqualTo(
					count("saga.step.timeouts", "step", "PENDING") - pendingTimeoutsBefore);
		this.inFlight.refresh();
		assertThat(inFlight("COMPENSATING")).isEqualTo(this.db.countWithStatus("COMPENSATING")).isGreaterThanOrEqualTo(3);
		assertThat(inFlight("PENDING")).isEqualTo(this.db.countWithStatus("PENDING"));
		assertThat(inFlight("CONFIRMING")).as("no order there: 0, not absent").isZero();
	}

	@Test
	void noStepIsDueWhileItsCommandsStillWaitInTheOutbox() {
		UUID order = place();
		this.jdbc.sql("UPDATE customer_order SET step_deadline = now() - interval '1 second' WHERE id = :id")
			.param("id", order)
			.update();

		// The broker is down: ReserveStock never left, inventory cannot have answered.
		sweepUntilQuiet();
		assertThat(this.db.status(order)).isEqualTo("PENDING");

		acknowledged(order, "now() - interval '1 hour'");
		assertThat(sweepUntilQuiet()).isPositive();
		assertThat(this.db.status(order)).as("acknowledged long ago: the deadline stands").isEqualTo("COMPENSATING");
	}

	@Test
	void theDeadlineCountsFromTheBrokersAcknowledgementNotFromTheStepsStart() {
		UUID order = place();
		// A 30 s step that began 40 s ago, whose commands the broker acknowledged only 5 s ago (they waited 35 s
		// in the outbox): 25 s are left.
		this.jdbc.sql("""
				UPDATE customer_order
				SET step_started_at = now() - interval '40 seconds', step_deadline = now() - interval '10 seconds'
				WHERE id = :id""").param("id", order).update();
		acknowledged(order, "now() - interval '5 seconds'");
		sweepUntilQuiet();
		assertThat(this.db.status(order)).isEqualTo("PENDING");

		// Acknowledged 35 s ago, 5 s after the step began: 30 s have passed since, the step is due.
		acknowledged(order, "now() - interval '35 seconds'");
		assertThat(sweepUntilQuiet()).isPositive();
		assertThat(this.db.status(order)).isEqualTo("COMPENSATING");
	}

	/** The orders' deadlines passed, and their commands had left at once (the broker acknowledged them). */
	private void overdue(List<UUID> orders) {
		this.jdbc.sql("UPDATE customer_order SET step_deadline = now() - interval '1 second' WHERE id IN (:ids)")
			.param("ids", orders)
			.update();
		this.jdbc.sql("UPDATE outbox_message SET sent_at = created_at WHERE correlation_id IN (:ids)")
			.param("ids", orders.stream().map(UUID::toString).toList())
			.update();
	}

	/** What the outbox relay does once the broker acknowledged: every message of the order sent at {@code when}. */
	private void acknowledged(UUID order, String when) {
		this.jdbc.sql("UPDATE outbox_message SET sent_at = " + when + " WHERE correlation_id = :id")
			.param("id", order.toString())
			.update();
	}

	/** Sweeps until nothing more is due (earlier tests of this class may have left due orders); how many fired. */
	private int sweepUntilQuiet() {
		int fired = 0;
		for (int round = this.sweeper.sweep(); round > 0; round = this.sweeper.sweep()) {
			fired += round;
		}
		return fired;
	}

	private double count(String name, String tag, String value) {
		return this.meters.get(name).tag(tag, value).counter().count();
	}

	private long inFlight(String step) {
		return (long) this.meters.get("saga.in.flight").tag("step", step).gauge().value();
	}

	private UUID place() {
		String customer = OrderRequests.newCustomer();
		String location = this.client.post()
			.uri("/api/orders")
			.headers(Callers.customer(customer))
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(customer, "tok_ok", BOOK, 1))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(String.class)
			.returnResult()
			.getResponseHeaders()
			.getFirst(HttpHeaders.LOCATION);
		return UUID.fromString(location.substring("/api/orders/".length()));
	}

}
