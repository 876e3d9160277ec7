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
		this.jdbc.sql("UPDATE customer_order SET step_deadline = now() - interval '1 second' WHERE id IN (:ids)")
			.param("ids", orders)
			.update();

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
		this.jdbc.sql("UPDATE customer_order SET step_deadline = now() - interval '1 second' WHERE id IN (:ids)")
			.param("ids", List.of(held, free))
			.update();
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

	private UUID place() {
		String location = this.client.post()
			.uri("/api/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body(OrderRequests.order(OrderRequests.newCustomer(), "tok_ok", BOOK, 1))
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
