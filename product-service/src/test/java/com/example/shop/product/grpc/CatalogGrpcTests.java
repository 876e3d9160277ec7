package com.example.shop.product.grpc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.example.shop.proto.catalog.v1.BatchGetProductsRequest;
import com.example.shop.proto.catalog.v1.BatchGetProductsResponse;
import com.example.shop.proto.catalog.v1.CatalogServiceGrpc;
import com.example.shop.proto.catalog.v1.GetProductRequest;
import com.example.shop.proto.catalog.v1.ListProductsRequest;
import com.example.shop.proto.catalog.v1.ListProductsResponse;
import com.example.shop.proto.catalog.v1.Product;
import com.example.shop.testsupport.GrpcTokens;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.TestTokens;
import com.example.shop.testsupport.UsesInfrastructure;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * shop.catalog.v1.CatalogService through a real Netty channel to the started server (port 0), against
 * the seeded catalog.
 */
@SpringBootTest
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.REDIS, Infrastructure.KAFKA, Infrastructure.TOKENS })
class CatalogGrpcTests {

	static final String FIRST_BOOK = "00000000-0000-4000-8000-000000000001";

	static final String UNKNOWN = "00000000-0000-4000-8000-000000009999";

	@Autowired
	GrpcServerLifecycle server;

	ManagedChannel channel;

	@BeforeEach
	void connect() {
		assertThat(this.server.getPort()).isPositive();
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.server.getPort()).usePlaintext().build();
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void getProductReturnsTheProductWithExactMoney() {
		Product product = catalog().getProduct(GetProductRequest.newBuilder().setProductId(FIRST_BOOK).build())
			.getProduct();
		assertThat(product.getId()).isEqualTo(FIRST_BOOK);
		assertThat(product.getSku()).isEqualTo("BOOK-0001");
		assertThat(product.getName()).isEqualTo("The Pragmatic Programmer");
		assertThat(product.getCategory()).isEqualTo("books");
		assertThat(product.getPrice().getCurrencyCode()).isEqualTo("EUR");
		assertThat(product.getPrice().getUnits()).isEqualTo(42);
		assertThat(product.getPrice().getNanos()).isEqualTo(900_000_000);
		assertThat(product.getAvailable()).isTrue();
		assertThat(product.getCreateTime().getSeconds()).isEqualTo(java.time.Instant.parse("2026-01-01T10:00:00Z").getEpochSecond());
	}

	@Test
	void getProductOfUnknownIdIsNotFound() {
		assertStatus(() -> catalog().getProduct(GetProductRequest.newBuilder().setProductId(UNKNOWN).build()),
				Status.Code.NOT_FOUND);
	}

	@Test
	void getProductWithInvalidIdIsInvalidArgument() {
		assertStatus(() -> catalog().getProduct(GetProductRequest.newBuilder().setProductId("42").build()),
				Status.Code.INVALID_ARGUMENT);
		assertStatus(() -> catalog().getProduct(GetProductRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT);
		// UUID.fromString would accept this short form; the service does not.
		assertStatus(() -> catalog().getProduct(GetProductRequest.newBuilder().setProductId("1-2-3-4-5").build()),
				Status.Code.INVALID_ARGUMENT);
	}

	@Test
	void batchGetReturnsFoundAndMissingInOneCall() {
		String second = "00000000-0000-4000-8000-000000000002";
		BatchGetProductsResponse response = catalog().batchGetProducts(BatchGetProductsRequest.newBuilder()
			.addProductIds(FIRST_BOOK)
			.addProductIds(UNKNOWN)
			.addProductIds(second)
			.addProductIds(FIRST_BOOK)
			.build());
		assertThat(response.getProductsList()).extracting(Product::getId).containsExactly(FIRST_BOOK, second);
		assertThat(response.getMissingProductIdsList()).containsExactly(UNKNOWN);
	}

	@Test
	void batchGetWithAnInvalidIdIsInvalidArgumentNamingIt() {
		assertThatThrownBy(() -> catalog().batchGetProducts(
				BatchGetProductsRequest.newBuilder().addProductIds(FIRST_BOOK).addProductIds("nope").build()))
			.isInstanceOfSatisfying(StatusRuntimeException.class, ex -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains("product_ids[1]");
			});
	}

	@Test
	void batchGetOfMoreThanTheLimitIsInvalidArgument() {
		BatchGetProductsRequest.Builder request = BatchGetProductsRequest.newBuilder();
		for (int i = 0; i <= CatalogGrpcService.MAX_BATCH; i++) {
			request.addProductIds(FIRST_BOOK);
		}
		assertStatus(() -> catalog().batchGetProducts(request.build()), Status.Code.INVALID_ARGUMENT);
	}

	@Test
	void listProductsPagesThroughTheWholeCatalogWithTokens() {
		List<String> ids = new ArrayList<>();
		String token = "";
		int pages = 0;
		do {
			ListProductsResponse page = catalog()
				.listProducts(ListProductsRequest.newBuilder().setPageSize(10).setPageToken(token).build());
			assertThat(page.getProductsCount()).isBetween(1, 10);
			page.getProductsList().forEach(p -> ids.add(p.getId()));
			token = page.getNextPageToken();
			pages++;
		}
		while (!token.isEmpty() && pages < 20);
		assertThat(pages).isEqualTo(5);
		assertThat(ids).hasSize(48).doesNotHaveDuplicates().isSorted();
	}

	@Test
	void listProductsFiltersByCategoryAndDefaultsThePageSize() {
		ListProductsResponse toys = catalog()
			.listProducts(ListProductsRequest.newBuilder().setCategory("toys").setPageSize(100).build());
		assertThat(toys.getProductsList()).hasSize(8).allSatisfy(p -> assertThat(p.getCategory()).isEqualTo("toys"));
		assertThat(toys.getNextPageToken()).isEmpty();

		ListProductsResponse defaultPage = catalog().listProducts(ListProductsRequest.getDefaultInstance());
		assertThat(defaultPage.getProductsCount()).isEqualTo(CatalogGrpcService.DEFAULT_PAGE_SIZE);
		assertThat(defaultPage.getNextPageToken()).isNotEmpty();

		ListProductsResponse capped = catalog().listProducts(ListProductsRequest.newBuilder().setPageSize(1000).build());
		assertThat(capped.getProductsCount()).isEqualTo(48);
	}

	@Test
	void listProductsWithForeignTokenOrNegativeSizeIsInvalidArgument() {
		assertStatus(() -> catalog().listProducts(ListProductsRequest.newBuilder().setPageToken("not-a-token").build()),
				Status.Code.INVALID_ARGUMENT);
		String base64OfJunk = java.util.Base64.getUrlEncoder().encodeToString("v2:whatever".getBytes());
		assertStatus(() -> catalog().listProducts(ListProductsRequest.newBuilder().setPageToken(base64OfJunk).build()),
				Status.Code.INVALID_ARGUMENT);
		assertStatus(() -> catalog().listProducts(ListProductsRequest.newBuilder().setPageSize(-1).build()),
				Status.Code.INVALID_ARGUMENT);
	}

	@Test
	void healthCheckIsServing() {
		ServingStatus status = HealthGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.check(HealthCheckRequest.newBuilder().setService("").build())
			.getStatus();
		assertThat(status).isEqualTo(ServingStatus.SERVING);
	}

	@Test
	void reflectionListsTheCatalogService() throws Exception {
		CompletableFuture<Set<String>> services = new CompletableFuture<>();
		StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.serverReflectionInfo(new StreamObserver<>() {
				final Set<String> names = new HashSet<>();

				@Override
				public void onNext(ServerReflectionResponse response) {
					response.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
						.forEach(this.names::add);
				}

				@Override
				public void onError(Throwable error) {
					services.completeExceptionally(error);
				}

				@Override
				public void onCompleted() {
					services.complete(this.names);
				}
			});
		requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
		requests.onCompleted();
		assertThat(services.get(5, TimeUnit.SECONDS)).contains("shop.catalog.v1.CatalogService",
				"grpc.health.v1.Health");
	}

	@Test
	void aCallWithoutATokenOrWithoutTheScopeCatalogReadIsRefused() {
		GetProductRequest any = GetProductRequest.newBuilder().setProductId(UUID.randomUUID().toString()).build();
		assertStatus(() -> CatalogServiceGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.getProduct(any), Status.Code.UNAUTHENTICATED);
		assertStatus(() -> catalogAs(TestTokens.issuer().service("notification-service", "orders.read")).getProduct(any),
				Status.Code.PERMISSION_DENIED);
		assertStatus(() -> catalogAs(TestTokens.issuer().anyCustomer()).getProduct(any), Status.Code.PERMISSION_DENIED);
		assertStatus(() -> catalogAs(TestTokens.issuer().token().scopes("catalog.read").signedByStranger().sign())
			.getProduct(any), Status.Code.UNAUTHENTICATED);
		// inventory-service's client has the scope too.
		assertStatus(() -> catalogAs(TestTokens.issuer().service("inventory-service", "catalog.read")).getProduct(any),
				Status.Code.NOT_FOUND);
	}

	private CatalogServiceGrpc.CatalogServiceBlockingStub catalog() {
		return catalogAs(GrpcTokens.orderService());
	}

	private CatalogServiceGrpc.CatalogServiceBlockingStub catalogAs(String token) {
		// Every remote call has a deadline.
		return CatalogServiceGrpc.newBlockingStub(GrpcTokens.withToken(this.channel, token))
			.withDeadlineAfter(5, TimeUnit.SECONDS);
	}

	private static void assertStatus(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
		assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
				ex -> assertThat(ex.getStatus().getCode()).isEqualTo(code));
	}

}
