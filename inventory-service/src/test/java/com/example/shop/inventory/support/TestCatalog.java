package com.example.shop.inventory.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.example.shop.proto.catalog.v1.CatalogServiceGrpc;
import com.example.shop.proto.catalog.v1.GetProductRequest;
import com.example.shop.proto.catalog.v1.GetProductResponse;
import com.example.shop.proto.catalog.v1.Product;
import com.example.shop.security.grpc.GrpcAccessRules;
import com.example.shop.security.grpc.GrpcTokenCheck;
import com.example.shop.testsupport.TestTokens;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import org.springframework.test.context.DynamicPropertyRegistry;


/**
 * product-service's catalog as inventory-service sees it: a real gRPC server on a free loopback port that
 * knows every product except those a test {@link #forget}s, and answers UNAVAILABLE while {@link #down}. Like
 * product-service, it serves only callers with a token of the realm carrying the scope {@code catalog.read}.
 * One per test JVM; a test class points the application's channel at it with {@link #register}.
 */
public final class TestCatalog extends CatalogServiceGrpc.CatalogServiceImplBase {

	private static final TestCatalog INSTANCE = start();

	private final Set<String> unknown = ConcurrentHashMap.newKeySet();

	private final AtomicInteger calls = new AtomicInteger();

	private volatile boolean down;

	private Server server;

	public static TestCatalog get() {
		return INSTANCE;
	}

	public static void register(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channels.product-service.address",
				() -> "static://127.0.0.1:" + INSTANCE.port());
	}

	private static TestCatalog start() {
		TestCatalog catalog = new TestCatalog();
		// Checks its callers' tokens as product-service does: inventory-service must send its own, with catalog.read.
		GrpcTokenCheck tokens = new GrpcTokenCheck(TestTokens.issuer().decoder(),
				GrpcAccessRules.builder().service(CatalogServiceGrpc.SERVICE_NAME, "catalog.read").build());
		catalog.server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
			.addService(ServerInterceptors.intercept(catalog, tokens))
			.build();
		try {
			catalog.server.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Runtime.getRuntime().addShutdownHook(new Thread(catalog.server::shutdownNow));
		return catalog;
	}

	/** A product the catalog has never had. */
	public UUID unknownProduct() {
		UUID id = UUID.randomUUID();
		this.unknown.add(id.toString());
		return id;
	}

	public void down(boolean down) {
		this.down = down;
	}

	public int calls() {
		return this.calls.get();
	}

	int port() {
		return ((InetSocketAddress) this.server.getListenSockets().get(0)).getPort();
	}

	@Override
	public void getProduct(GetProductRequest request, StreamObserver<GetProductResponse> response) {
		this.calls.incrementAndGet();
		if (this.down) {
			response.onError(Status.UNAVAILABLE.withDescription("product-service is down (test)").asRuntimeException());
			return;
		}
		if (this.unknown.contains(request.getProductId())) {
			response.onError(Status.NOT_FOUND.withDescription("product " + request.getProductId() + " does not exist")
				.asRuntimeException());
			return;
		}
		response.onNext(GetProductResponse.newBuilder()
			.setProduct(Product.newBuilder().setId(request.getProductId()).setSku("TEST").setName("Test product"))
			.build());
		response.onCompleted();
	}

}
