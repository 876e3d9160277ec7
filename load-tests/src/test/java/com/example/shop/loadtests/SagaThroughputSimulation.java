package com.example.shop.loadtests;

import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The saga at a constant arrival rate (an open model: orders keep arriving whether or not the platform keeps up):
 * {@code rate} orders a second for {@code seconds}, each placed with its own Idempotency-Key by one of the run's
 * customers and followed (GET every {@code pollMillis}, 500 ms) until it is CONFIRMED, CANCELLED or FAILED; the
 * following is load too (two GETs a second per order in flight), so an order that takes long costs more. The rate is held when every
 * order was accepted and every one was terminal within 2 s of being placed; the last line says HELD or NOT HELD
 * with the figures ({@code ./platform bench} steps the rate up until it no longer holds).
 */
public class SagaThroughputSimulation extends Simulation {

	static final double RATE = Double.parseDouble(System.getProperty("rate", "10"));

	static final int SECONDS = Integer.getInteger("seconds", 60);

	static final Duration POLL = Duration.ofMillis(Integer.getInteger("pollMillis", 500));

	static final Duration TERMINAL_WITHIN = Duration.ofSeconds(2);

	static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);

	static final Set<String> TERMINAL = Set.of("CONFIRMED", "CANCELLED", "FAILED");

	// Enough customers that none of them places more than one order every few seconds.
	static final List<String> customers = Bench.customerTokens((int) Math.max(10, Math.ceil(RATE * 4)));

	static final List<String> products = Bench.products(Bench.adminToken(), 10, 1_000_000);

	/** Milliseconds from placing to terminal, in buckets of 10 ms up to 30 s. */
	static final AtomicLongArray terminalMillis = new AtomicLongArray(3001);

	static final AtomicInteger placed = new AtomicInteger();

	static final AtomicInteger refused = new AtomicInteger();

	static final AtomicInteger neverTerminal = new AtomicInteger();

	static final Map<String, AtomicInteger> outcomes = Map.of("CONFIRMED", new AtomicInteger(), "CANCELLED",
			new AtomicInteger(), "FAILED", new AtomicInteger());

	Iterator<Map<String, Object>> orders = Stream.generate(() -> Map.<String, Object>of(
			"token", customers.get(ThreadLocalRandom.current().nextInt(customers.size())),
			"product", products.get(ThreadLocalRandom.current().nextInt(products.size())),
			"key", Bench.newKey()))
		.iterator();

	HttpProtocolBuilder gateway = http.baseUrl(Bench.GATEWAY).acceptHeader("application/json");

	ScenarioBuilder order = scenario("order to a terminal status").feed(this.orders)
		.exec(session -> session.set("placedAt", System.nanoTime()).set("status", "PENDING"))
		.exec(http("place order").post("/api/orders")
			.header("Authorization", "Bearer #{token}")
			.header("Idempotency-Key", "#{key}")
			.header("Content-Type", "application/json")
			.body(StringBody(session -> Bench.orderBody(session.getString("product"))))
			.check(status().is(202), jsonPath("$.id").saveAs("orderId")))
		.exec(session -> {
			if (session.isFailed()) {
				refused.incrementAndGet();
			}
			else {
				placed.incrementAndGet();
			}
			return session;
		})
		.doIf(session -> !session.isFailed())
		.then(asLongAs(session -> !TERMINAL.contains(session.getString("status")) && elapsed(session) < GIVE_UP_AFTER.toMillis())
			.on(pause(POLL).exec(http("follow order").get("/api/orders/#{orderId}")
				.header("Authorization", "Bearer #{token}")
				.check(status().is(200), jsonPath("$.status").saveAs("status"))))
			.exec(SagaThroughputSimulation::record));

	{
		setUp(this.order.injectOpen(constantUsersPerSec(RATE).during(SECONDS))).protocols(this.gateway);
	}

	private static long elapsed(Session session) {
		return (System.nanoTime() - session.getLong("placedAt")) / 1_000_000;
	}

	private static Session record(Session session) {
		String status = session.getString("status");
		if (!TERMINAL.contains(status)) {
			neverTerminal.incrementAndGet();
			return session;
		}
		outcomes.get(status).incrementAndGet();
		terminalMillis.incrementAndGet((int) Math.min(elapsed(session) / 10, terminalMillis.length() - 1));
		return session;
	}

	@Override
	public void after() {
		long[] counts = new long[terminalMillis.length()];
		Arrays.setAll(counts, terminalMillis::get);
		long terminal = Arrays.stream(counts).sum();
		long withinTwoSeconds = Arrays.stream(counts, 0, (int) (TERMINAL_WITHIN.toMillis() / 10)).sum();
		boolean held = refused.get() == 0 && neverTerminal.get() == 0 && withinTwoSeconds == placed.get();
		System.out.printf(
				"SAGA rate=%.1f/s for %d s: placed %d, refused %d, terminal %d (confirmed %d, cancelled %d, failed %d), "
						+ "never terminal %d; placed to terminal p50 %d ms, p95 %d ms, p99 %d ms, max %d ms; within 2 s: %d -> %s%n",
				RATE, SECONDS, placed.get(), refused.get(), terminal, outcomes.get("CONFIRMED").get(),
				outcomes.get("CANCELLED").get(), outcomes.get("FAILED").get(), neverTerminal.get(),
				percentile(counts, terminal, 0.50), percentile(counts, terminal, 0.95), percentile(counts, terminal, 0.99),
				percentile(counts, terminal, 1.0), withinTwoSeconds, held ? "HELD" : "NOT HELD");
	}

	/** The upper edge of the 10 ms bucket holding the given quantile. */
	private static long percentile(long[] counts, long total, double quantile) {
		if (total == 0) {
			return 0;
		}
		long rank = (long) Math.ceil(quantile * total);
		long seen = 0;
		for (int i = 0; i < counts.length; i++) {
			seen += counts[i];
			if (seen >= rank) {
				return (i + 1) * 10L;
			}
		}
		return counts.length * 10L;
	}

}
