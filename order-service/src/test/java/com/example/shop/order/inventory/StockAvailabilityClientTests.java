package com.example.shop.order.inventory;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.example.shop.order.StockAvailability.Line;
import com.example.shop.order.StockCheck;
import com.example.shop.order.StockCheck.SkipReason;
import com.example.shop.order.support.TestInventoryServer;
import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.testsupport.GrpcTokens;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The availability check's bulkhead and breaker, against a real gRPC server. */
class StockAvailabilityClientTests {

	static final UUID PRODUCT = UUID.fromString("00000000-0000-4000-8000-000000000001");

	TestInventoryServer server;

	ManagedChannel channel;

	SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void start() {
		this.server = TestInventoryServer.start();
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.server.port()).usePlaintext().build();
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.server.close();
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void aCheckBeyondTheBulkheadIsSkippedAtOnceNotQueued() throws Exception {
		StockAvailabilityClient client = client(CircuitBreaker.ofDefaults("inventory"),
				Bulkhead.of("inventory", BulkheadConfig.custom().maxConcurrentCalls(1).maxWaitDuration(java.time.Duration.ZERO).build()));
		this.server.holdCalls();
		CompletableFuture<StockCheck> first = CompletableFuture.supplyAsync(() -> client.check(lines(1)));
		assertThat(this.server.awaitHeldCall(5, TimeUnit.SECONDS)).isTrue();

		assertThat(client.check(lines(1))).isEqualTo(new StockCheck.Skipped(SkipReason.BULKHEAD_FULL));
		assertThat(this.server.calls()).isEqualTo(1);
		assertThat(skipped("bulkhead_full")).isEqualTo(1);

		this.server.release();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(new StockCheck.Sufficient());
		assertThat(client.check(lines(1))).as("the slot is free again").isEqualTo(new StockCheck.Sufficient());
	}

	@Test
	void anInventoryThatKeepsFailingOpensTheBreakerAndIsNotAskedMeanwhile() {
		CircuitBreaker breaker = CircuitBreaker.of("inventory", io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
			.slidingWindowSize(4)
			.minimumNumberOfCalls(4)
			.build());
		StockAvailabilityClient client = client(breaker, Bulkhead.ofDefaults("inventory"));
		this.server.failWith(Status.UNAVAILABLE);
		for (int i = 0; i < 4; i++) {
			assertThat(client.check(lines(1))).isEqualTo(new StockCheck.Skipped(SkipReason.UNAVAILABLE));
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(client.check(lines(1))).isEqualTo(new StockCheck.Skipped(SkipReason.CIRCUIT_OPEN));
		assertThat(this.server.calls()).isEqualTo(4);
		assertThat(skipped("unavailable")).isEqualTo(4);
		assertThat(skipped("circuit_open")).isEqualTo(1);
	}

	@Test
	void shortLinesAreReportedWithWhatIsAvailable() {
		StockAvailabilityClient client = client(CircuitBreaker.ofDefaults("inventory"), Bulkhead.ofDefaults("inventory"));
		this.server.setAvailable(PRODUCT, 2);
		assertThat(client.check(lines(3)))
			.isEqualTo(new StockCheck.Short(List.of(new StockCheck.ShortLine(PRODUCT, 3, 2))));
		assertThat(client.check(lines(2))).isEqualTo(new StockCheck.Sufficient());
	}

	private StockAvailabilityClient client(CircuitBreaker breaker, Bulkhead bulkhead) {
		// With order-service's token, as its channels send it (the stand-in checks it like inventory-service).
		return new StockAvailabilityClient(
				InventoryServiceGrpc.newBlockingStub(GrpcTokens.withToken(this.channel, GrpcTokens.orderService())),
				breaker, bulkhead,
				this.meters);
	}

	private static List<Line> lines(int quantity) {
		return List.of(new Line(PRODUCT, quantity));
	}

	private double skipped(String why) {
		return this.meters.counter("inventory.check.skipped", "why", why).count();
	}

}
