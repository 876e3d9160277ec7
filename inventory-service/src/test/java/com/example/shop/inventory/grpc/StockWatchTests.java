package com.example.shop.inventory.grpc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.example.shop.inventory.reservation.ReservationLine;
import com.example.shop.inventory.reservation.ReserveOutcome;
import com.example.shop.inventory.reservation.StockReservations;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.proto.inventory.v1.StockChanged;
import com.example.shop.proto.inventory.v1.WatchStockRequest;
import com.example.shop.testsupport.GrpcTokens;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.fail;

/**
 * WatchStock through real Netty channels: changes arrive after commit and only then, rolled-back changes
 * never, and clients that cancel, vanish or stop reading are dropped without holding up stock changes.
 * Small limits (4 queued products, 20 watchers) so the tests can reach them. The changes travel the real
 * path: outbox, Kafka {@code inventory.stock-changes}, this replica's feed consumer.
 */
@SpringBootTest(properties = { "inventory.watch.buffer-size=4", "inventory.watch.max-watchers=20" })
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.TOKENS })
@Timeout(120)
class StockWatchTests {

	private static final Logger log = LoggerFactory.getLogger(StockWatchTests.class);

	@Autowired
	GrpcServerLifecycle server;

	@Autowired
	StockWatchers watchers;

	@Autowired
	StockLevels stock;

	@Autowired
	StockReservations reservations;

	@Autowired
	TransactionTemplate transactions;

	ManagedChannel channel;

	final List<Watch> opened = new ArrayList<>();

	/** Set once the feed consumer of this class's context reads the topic (it starts at the end, "latest"). */
	static volatile boolean feedLive;

	@BeforeEach
	void connect() {
		awaitWatchers(0);
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.server.getPort()).usePlaintext().build();
		if (!feedLive) {
			awaitFeedLive();
			feedLive = true;
		}
	}

	/**
	 * The feed's consumer group is new at every start and begins at the end of the topic, so a change published
	 * before it has its partitions and positions is not streamed. Changes a probe product until a watcher sees
	 * the latest one; from then on every change is streamed.
	 */
	private void awaitFeedLive() {
		UUID probe = UUID.randomUUID();
		this.stock.setOnHand(probe, 1);
		Watch watch = watch(probe);
		int onHand = 1;
		Instant deadline = Instant.now().plusSeconds(60);
		while (Instant.now().isBefore(deadline)) {
			this.stock.setOnHand(probe, ++onHand);
			StockChanged seen;
			do {
				seen = watch.poll(Duration.ofMillis(500));
			}
			while (seen != null && seen.getOnHand() != onHand);
			if (seen != null) {
				watch.cancel();
				awaitWatchers(0);
				return;
			}
		}
		fail("the stock-change feed did not start within 60 s");
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		this.opened.forEach(Watch::cancel);
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void aChangeIsSentOnceItsTransactionCommittedAndNotBefore() {
		UUID product = product(10);
		Watch watch = watch(product);

		this.transactions.executeWithoutResult(tx -> {
			this.stock.setOnHand(product, 42);
			watch.assertNothingFor(Duration.ofMillis(500));
		});

		StockChanged change = watch.next();
		assertThat(change.getProductId()).isEqualTo(product.toString());
		assertThat(change.getOnHand()).isEqualTo(42);
		assertThat(change.getReserved()).isZero();
		assertThat(change.getAvailable()).isEqualTo(42);
		assertThat(Instant.ofEpochSecond(change.getChangedAt().getSeconds(), change.getChangedAt().getNanos()))
			.isBetween(Instant.now().minusSeconds(10), Instant.now());
	}

	@Test
	void aRolledBackChangeIsNeverSent() {
		UUID product = product(10);
		Watch watch = watch(product);

		this.transactions.executeWithoutResult(tx -> {
			this.stock.setOnHand(product, 7);
			tx.setRollbackOnly();
		});
		assertThatIllegalStateException().isThrownBy(() -> this.transactions.executeWithoutResult(tx -> {
			this.stock.setOnHand(product, 8);
			throw new IllegalStateException("failing after the change");
		}));
		// the product is held first, then the unknown one fails: the hold is rolled back to the savepoint
		ReserveOutcome rejected = this.reservations.reserve(UUID.randomUUID(),
				List.of(new ReservationLine(product, 1), new ReservationLine(new UUID(-1, -1), 1)));
		assertThat(rejected).isInstanceOf(ReserveOutcome.Rejected.class);

		this.stock.setOnHand(product, 9);
		assertThat(watch.next().getOnHand()).as("the first change the watcher sees is the committed one").isEqualTo(9);
		watch.assertNothingFor(Duration.ofMillis(300));
	}

	@Test
	void aWatcherGetsOnlyTheProductsItAskedForAndAnEmptyListMeansAll() {
		UUID watched = product(10);
		UUID other = product(10);
		Watch one = watch(watched);
		Watch all = watch();

		this.stock.setOnHand(other, 11);
		this.stock.setOnHand(watched, 12);

		assertThat(one.next().getOnHand()).isEqualTo(12);
		assertThat(all.next().getProductId()).isEqualTo(other.toString());
		assertThat(all.next().getProductId()).isEqualTo(watched.toString());
		one.assertNothingFor(Duration.ofMillis(300));
	}

	@Test
	void reservationsConfirmationsAndReleasesAreStreamed() {
		UUID product = product(10);
		Watch watch = watch(product);
		UUID confirmed = UUID.randomUUID();
		UUID released = UUID.randomUUID();

		this.reservations.reserve(confirmed, List.of(new ReservationLine(product, 3)));
		assertLevels(watch.next(), 10, 3);
		this.reservations.confirm(confirmed);
		assertLevels(watch.next(), 7, 0);
		this.reservations.reserve(released, List.of(new ReservationLine(product, 2)));
		assertLevels(watch.next(), 7, 2);
		this.reservations.release(released);
		assertLevels(watch.next(), 7, 0);
		// redeliveries change nothing, so nothing is sent
		this.reservations.release(released);
		this.reservations.confirm(confirmed);
		watch.assertNothingFor(Duration.ofMillis(300));
	}

	@Test
	void manyWatchersAllGetTheChangeAndOneMoreThanTheLimitIsRefused() {
		UUID product = product(10);
		List<Watch> twenty = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			twenty.add(open(this.channel, List.of(product), true));
		}
		awaitWatchers(20);

		Watch oneTooMany = open(this.channel, List.of(product), true);
		assertThat(oneTooMany.status()).satisfies(status -> {
			assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
			assertThat(status.getDescription()).contains("too many stock watchers");
		});

		this.stock.setOnHand(product, 33);
		for (Watch watch : twenty) {
			assertThat(watch.next().getOnHand()).isEqualTo(33);
		}

		twenty.getFirst().cancel();
		awaitWatchers(19);
		Watch replacement = watch(product);
		this.stock.setOnHand(product, 34);
		assertThat(replacement.next().getOnHand()).isEqualTo(34);
	}

	@Test
	void aCancelledWatcherIsRemoved() {
		UUID product = product(10);
		Watch watch = watch(product);

		watch.cancel();

		awaitWatchers(0);
		this.stock.setOnHand(product, 5);
		assertThat(this.stock.find(product).orElseThrow().onHand()).isEqualTo(5);
	}

	@Test
	void aWatcherWhoseClientVanishedIsRemoved() throws InterruptedException {
		UUID product = product(10);
		ManagedChannel gone = ManagedChannelBuilder.forAddress("127.0.0.1", this.server.getPort()).usePlaintext().build();
		open(gone, List.of(product), true);
		awaitWatchers(1);

		gone.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

		awaitWatchers(0);
	}

	@Test
	void aClientThatStopsReadingIsClosedAndHoldsUpNoStockChange() throws InterruptedException {
		UUID[] products = new UUID[8];
		for (int i = 0; i < products.length; i++) {
			products[i] = product(1);
		}
		// A tiny HTTP/2 window and no requests: the server soon cannot send this client anything.
		ManagedChannel slowChannel = NettyChannelBuilder.forAddress("127.0.0.1", this.server.getPort())
			.usePlaintext()
			.flowControlWindow(1024)
			.build();
		try {
			open(slowChannel, List.of(), false);
			awaitWatchers(1);
			// Two products: its queue (one entry per product) can never exceed the buffer of 4, however late
			// its drain runs on a busy machine; only the non-reading watcher can fall behind.
			Watch fast = watch(products[0], products[1]);

			long started = System.nanoTime();
			int changes = 0;
			Map<UUID, Integer> last = new HashMap<>();
			while (this.watchers.count() > 1 && changes < 5000) {
				UUID product = products[changes % products.length];
				int onHand = 2 + changes;
				this.stock.setOnHand(product, onHand);
				last.put(product, onHand);
				changes++;
			}
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			log.info("the non-reading watcher was closed after {} changes; {} ms for those changes", changes, millis);

			assertThat(this.watchers.count()).as("one of the two watchers is closed").isEqualTo(1);
			// The reading watcher ends up with the newest state of its products (older ones may be coalesced) ...
			Map<String, Integer> expected = asStrings(Map.of(products[0], last.get(products[0]), products[1],
					last.get(products[1])));
			Map<String, Integer> seen = new HashMap<>();
			Instant deadline = Instant.now().plusSeconds(20);
			while (!seen.equals(expected) && Instant.now().isBefore(deadline)) {
				StockChanged change = fast.poll(Duration.ofMillis(200));
				if (change != null) {
					seen.put(change.getProductId(), change.getOnHand());
				}
			}
			assertThat(seen).isEqualTo(expected);
			// ... and is the one still open.
			this.stock.setOnHand(products[0], 1);
			assertThat(fast.next().getOnHand()).isEqualTo(1);
			assertThat(this.watchers.count()).isEqualTo(1);
		}
		finally {
			slowChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private static Map<String, Integer> asStrings(Map<UUID, Integer> values) {
		Map<String, Integer> strings = new HashMap<>();
		values.forEach((id, value) -> strings.put(id.toString(), value));
		return strings;
	}

	/**
	 * A new product, once the change that created it went through the feed: the feed is asynchronous (outbox,
	 * Kafka), so a change committed just before a stream opens may otherwise still reach that stream.
	 */
	private UUID product(int onHand) {
		UUID product = UUID.randomUUID();
		Long version = this.stock.setOnHand(product, onHand).stock().version();
		await(() -> version.equals(this.watchers.newestVersion(product)), "the creation of " + product + " streamed");
		return product;
	}

	/** A reading watcher of these products (none: all), registered on the server when this returns. */
	private Watch watch(UUID... products) {
		int before = this.watchers.count();
		Watch watch = open(this.channel, List.of(products), true);
		awaitWatchers(before + 1);
		return watch;
	}

	private Watch open(ManagedChannel channel, List<UUID> products, boolean reading) {
		Watch watch = new Watch(reading);
		InventoryServiceGrpc.newStub(GrpcTokens.withToken(channel, GrpcTokens.orderService()))
			.withDeadlineAfter(2, TimeUnit.MINUTES)
			.watchStock(WatchStockRequest.newBuilder()
				.addAllProductIds(products.stream().map(UUID::toString).toList())
				.build(), watch);
		this.opened.add(watch);
		return watch;
	}

	private void awaitWatchers(int count) {
		await(() -> this.watchers.count() == count, "expected " + count + " watchers");
	}

	private static void assertLevels(StockChanged change, int onHand, int reserved) {
		assertThat(change.getOnHand()).as("on hand").isEqualTo(onHand);
		assertThat(change.getReserved()).as("reserved").isEqualTo(reserved);
		assertThat(change.getAvailable()).as("available").isEqualTo(onHand - reserved);
	}

	private static void await(BooleanSupplier condition, String what) {
		Instant deadline = Instant.now().plusSeconds(15);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				fail("timed out: " + what);
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				fail("interrupted");
			}
		}
	}

	/** The client end of one WatchStock call. */
	static final class Watch implements ClientResponseObserver<WatchStockRequest, StockChanged> {

		private final boolean reading;

		private final BlockingQueue<StockChanged> received = new LinkedBlockingQueue<>();

		private final CompletableFuture<Status> closed = new CompletableFuture<>();

		private volatile ClientCallStreamObserver<WatchStockRequest> call;

		Watch(boolean reading) {
			this.reading = reading;
		}

		@Override
		public void beforeStart(ClientCallStreamObserver<WatchStockRequest> requestStream) {
			this.call = requestStream;
			if (!this.reading) {
				requestStream.disableAutoRequestWithInitial(0);
			}
		}

		@Override
		public void onNext(StockChanged value) {
			this.received.add(value);
		}

		@Override
		public void onError(Throwable error) {
			this.closed.complete(Status.fromThrowable(error));
		}

		@Override
		public void onCompleted() {
			this.closed.complete(Status.OK);
		}

		StockChanged next() {
			StockChanged change = poll(Duration.ofSeconds(10));
			if (change == null) {
				fail("no stock change received within 10 s");
			}
			return change;
		}

		StockChanged poll(Duration wait) {
			try {
				return this.received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		void assertNothingFor(Duration wait) {
			assertThat(poll(wait)).as("no change expected").isNull();
		}

		Status status() {
			try {
				return this.closed.get(10, TimeUnit.SECONDS);
			}
			catch (Exception ex) {
				throw new AssertionError("the call did not end", ex);
			}
		}

		void cancel() {
			if (this.call != null && !this.closed.isDone()) {
				this.call.cancel("test is done with it", null);
			}
		}

	}

}
