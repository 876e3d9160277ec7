package com.example.shop.order.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.shop.proto.catalog.v1.BatchGetProductsRequest;
import com.example.shop.proto.catalog.v1.BatchGetProductsResponse;
import com.example.shop.proto.catalog.v1.CatalogServiceGrpc;
import com.example.shop.proto.catalog.v1.Product;
import com.example.shop.proto.common.v1.Money;
import com.example.shop.security.grpc.GrpcAccessRules;
import com.example.shop.security.grpc.GrpcTokenCheck;
import com.example.shop.testsupport.TestTokens;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A real gRPC server (Netty, loopback, a free port) serving shop.catalog.v1.CatalogService from test data,
 * standing in for product-service. Tests script its behaviour: failures to answer with, a latch to hold calls
 * on, and it counts the calls it received.
 */
public final class TestCatalogServer implements AutoCloseable {

	public static final UUID BOOK = UUID.fromString("00000000-0000-4000-8000-000000000001");

	public static final UUID MUG = UUID.fromString("00000000-0000-4000-8000-000000000002");

	public static final UUID LAMP = UUID.fromString("00000000-0000-4000-8000-000000000003");

	public static final UUID KETTLE = UUID.fromString("00000000-0000-4000-8000-000000000004");

	/** Priced in USD, unlike the others (EUR). */
	public static final UUID IMPORTED = UUID.fromString("00000000-0000-4000-8000-000000000005");

	/** The most expensive product the catalog allows. */
	public static final UUID YACHT = UUID.fromString("00000000-0000-4000-8000-000000000006");

	public static final UUID UNKNOWN = UUID.fromString("00000000-0000-4000-8000-000000009999");

	private final Map<UUID, Product> products = new ConcurrentHashMap<>();

	private final Deque<Status> failures = new ArrayDeque<>();

	private final AtomicInteger calls = new AtomicInteger();

	private volatile CountDownLatch hold;

	private volatile CountDownLatch held = new CountDownLatch(1);

	private final Server server;

	private TestCatalogServer() {
		reset();
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			// Checks its callers' tokens as product-service does: order-service must send its own, with catalog.read.
			.addService(ServerInterceptors.intercept(new Service(), new GrpcTokenCheck(TestTokens.issuer().decoder(),
					GrpcAccessRules.builder().service(CatalogServiceGrpc.SERVICE_NAME, "catalog.read").build())))
			.build();
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static TestCatalogServer start() {
		return new TestCatalogServer();
	}

	public int port() {
		return this.server.getPort();
	}

	/** {@code static://127.0.0.1:<port>}, for {@code spring.grpc.client.channels.*.address}. */
	public String address() {
		return "static://127.0.0.1:" + port();
	}

	/** Back to the demo products, no scripted failures, no hold, zero calls. */
	public synchronized void reset() {
		this.products.clear();
		put(BOOK, "BOOK-0001", "The Pragmatic Programmer", "42.90", "EUR");
		put(MUG, "KITCHEN-0002", "Espresso Cup", "7.25", "EUR");
		put(LAMP, "HOME-0003", "Desk Lamp", "19.99", "EUR");
		put(KETTLE, "KITCHEN-0004", "Kettle", "0.10", "EUR");
		put(IMPORTED, "IMPORT-0005", "Imported Tea", "12.00", "USD");
		put(YACHT, "BOAT-0006", "Yacht", "999999.99", "EUR");
		this.failures.clear();
		this.calls.set(0);
		release();
		this.hold = null;
	}

	public void put(UUID id, String sku, String name, String price, String currency) {
		BigDecimal amount = new BigDecimal(price);
		this.products.put(id, Product.newBuilder()
			.setId(id.toString())
			.setSku(sku)
			.setName(name)
			.setPrice(Money.newBuilder()
				.setCurrencyCode(currency)
				.setUnits(amount.longValue())
				.setNanos(amount.remainder(BigDecimal.ONE).movePointRight(9).intValue()))
			.setAvailable(true)
			.build());
	}

	/** The next calls fail with these statuses, one each, in order. */
	public synchronized void failNext(Status... statuses) {
		for (Status status : statuses) {
			this.failures.add(status);
		}
	}

	/** Calls wait (until {@link #release()}) before answering. */
	public void holdCalls() {
		this.held = new CountDownLatch(1);
		this.hold = new CountDownLatch(1);
	}

	/** Waits until a call is being held. */
	public boolean awaitHeldCall(long timeout, TimeUnit unit) throws InterruptedException {
		return this.held.await(timeout, unit);
	}

	public void release() {
		CountDownLatch latch = this.hold;
		if (latch != null) {
			latch.countDown();
		}
	}

	public int calls() {
		return this.calls.get();
	}

	private synchronized Status nextFailure() {
		return this.failures.poll();
	}

	@Override
	public void close() throws InterruptedException {
		release();
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	private final class Service extends CatalogServiceGrpc.CatalogServiceImplBase {

		@Override
		public void batchGetProducts(BatchGetProductsRequest request,
				StreamObserver<BatchGetProductsResponse> responseObserver) {
			TestCatalogServer.this.calls.incrementAndGet();
			// Scripted failures are taken at once, so a call still held from an earlier test never eats the
			// failures the next test scripted.
			Status failure = nextFailure();
			if (failure != null) {
				responseObserver.onError(failure.asRuntimeException());
				return;
			}
			CountDownLatch latch = TestCatalogServer.this.hold;
			if (latch != null) {
				TestCatalogServer.this.held.countDown();
				try {
					latch.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			BatchGetProductsResponse.Builder response = BatchGetProductsResponse.newBuilder();
			request.getProductIdsList().stream().distinct().forEach((id) -> {
				Product product = TestCatalogServer.this.products.get(UUID.fromString(id));
				if (product != null) {
					response.addProducts(product);
				}
				else {
					response.addMissingProductIds(id);
				}
			});
			responseObserver.onNext(response.build());
			responseObserver.onCompleted();
		}

	}

}
