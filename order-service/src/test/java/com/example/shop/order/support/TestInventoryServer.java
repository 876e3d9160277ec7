package com.example.shop.order.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.shop.proto.inventory.v1.AvailabilityLine;
import com.example.shop.proto.inventory.v1.CheckAvailabilityRequest;
import com.example.shop.proto.inventory.v1.CheckAvailabilityResponse;
import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.proto.inventory.v1.LineAvailability;
import com.example.shop.security.grpc.GrpcAccessRules;
import com.example.shop.security.grpc.GrpcTokenCheck;
import com.example.shop.testsupport.TestTokens;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A real gRPC server (Netty, loopback, a free port) serving shop.inventory.v1.InventoryService's
 * CheckAvailability from test stock, standing in for inventory-service. Products without stock have 1000
 * units unless set. Tests script a latency, a failure, or a latch to hold calls on.
 */
public final class TestInventoryServer implements AutoCloseable {

	public static final int DEFAULT_STOCK = 1000;

	private final Map<UUID, Integer> available = new ConcurrentHashMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private volatile Duration latency = Duration.ZERO;

	private volatile Status failure;

	private volatile CountDownLatch hold;

	private volatile CountDownLatch held = new CountDownLatch(1);

	private final Server server;

	private TestInventoryServer() {
		this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			// Checks its callers' tokens as inventory-service does: order-service must send its own, with inventory.read.
			.addService(ServerInterceptors.intercept(new Service(), new GrpcTokenCheck(TestTokens.issuer().decoder(),
					GrpcAccessRules.builder().service(InventoryServiceGrpc.SERVICE_NAME, "inventory.read").build())))
			.build();
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static TestInventoryServer start() {
		return new TestInventoryServer();
	}

	public int port() {
		return this.server.getPort();
	}

	public String address() {
		return "static://127.0.0.1:" + port();
	}

	public void reset() {
		this.available.clear();
		this.latency = Duration.ZERO;
		this.failure = null;
		this.calls.set(0);
		release();
		this.hold = null;
	}

	public void setAvailable(UUID productId, int units) {
		this.available.put(productId, units);
	}

	public void answerAfter(Duration latency) {
		this.latency = latency;
	}

	public void failWith(Status status) {
		this.failure = status;
	}

	public void holdCalls() {
		this.held = new CountDownLatch(1);
		this.hold = new CountDownLatch(1);
	}

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

	@Override
	public void close() throws InterruptedException {
		release();
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	private final class Service extends InventoryServiceGrpc.InventoryServiceImplBase {

		@Override
		public void checkAvailability(CheckAvailabilityRequest request,
				StreamObserver<CheckAvailabilityResponse> responseObserver) {
			TestInventoryServer.this.calls.incrementAndGet();
			try {
				CountDownLatch latch = TestInventoryServer.this.hold;
				if (latch != null) {
					TestInventoryServer.this.held.countDown();
					latch.await(30, TimeUnit.SECONDS);
				}
				Thread.sleep(TestInventoryServer.this.latency);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Status failing = TestInventoryServer.this.failure;
			if (failing != null) {
				responseObserver.onError(failing.asRuntimeException());
				return;
			}
			CheckAvailabilityResponse.Builder response = CheckAvailabilityResponse.newBuilder();
			boolean all = true;
			for (AvailabilityLine line : request.getLinesList()) {
				int units = TestInventoryServer.this.available.getOrDefault(UUID.fromString(line.getProductId()),
						DEFAULT_STOCK);
				boolean sufficient = units >= line.getQuantity();
				all &= sufficient;
				response.addLines(LineAvailability.newBuilder()
					.setProductId(line.getProductId())
					.setRequested(line.getQuantity())
					.setAvailable(units)
					.setSufficient(sufficient));
			}
			responseObserver.onNext(response.setAllSufficient(all).build());
			responseObserver.onCompleted();
		}

	}

}
