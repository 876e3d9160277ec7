package com.example.shop.inventory.grpc;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.example.shop.inventory.reservation.ReservationLine;
import com.example.shop.inventory.reservation.StockReservations;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.proto.inventory.v1.AvailabilityLine;
import com.example.shop.proto.inventory.v1.CheckAvailabilityRequest;
import com.example.shop.proto.inventory.v1.CheckAvailabilityResponse;
import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.proto.inventory.v1.LineAvailability;
import com.example.shop.proto.inventory.v1.WatchStockRequest;
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
 * shop.inventory.v1.InventoryService CheckAvailability (and WatchStock's argument checks) through a real
 * Netty channel to the started server, against the seeded stock.
 */
@SpringBootTest
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.KAFKA, Infrastructure.TOKENS })
class InventoryGrpcTests {

	static final String FIRST_BOOK = "00000000-0000-4000-8000-000000000001"; // 100 on hand

	static final String HEADPHONES = "00000000-0000-4000-8000-000000000009"; // 5

	static final String MONITOR = "00000000-0000-4000-8000-000000000012"; // 0

	@Autowired
	GrpcServerLifecycle server;

	@Autowired
	StockLevels stock;

	@Autowired
	StockReservations reservations;

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
	void answersEveryLineAndWhetherAllAreSufficient() {
		String unknown = UUID.randomUUID().toString();
		CheckAvailabilityResponse response = check(line(FIRST_BOOK, 3), line(HEADPHONES, 6), line(MONITOR, 1),
				line(unknown, 1));

		assertThat(response.getLinesList()).containsExactly(availability(FIRST_BOOK, 3, 100, true),
				availability(HEADPHONES, 6, 5, false), availability(MONITOR, 1, 0, false),
				availability(unknown, 1, 0, false));
		assertThat(response.getAllSufficient()).isFalse();

		CheckAvailabilityResponse enough = check(line(FIRST_BOOK, 100), line(HEADPHONES, 5));
		assertThat(enough.getAllSufficient()).isTrue();
		assertThat(enough.getLinesList()).allSatisfy(line -> assertThat(line.getSufficient()).isTrue());
	}

	@Test
	void reservedStockIsNotAvailable() {
		UUID product = UUID.randomUUID();
		this.stock.setOnHand(product, 10);
		this.reservations.reserve(UUID.randomUUID(), List.of(new ReservationLine(product, 7)));

		assertThat(check(line(product.toString(), 3)).getLinesList())
			.containsExactly(availability(product.toString(), 3, 3, true));
		assertThat(check(line(product.toString(), 4)).getAllSufficient()).isFalse();
	}

	@Test
	void linesOfTheSameProductAreAddedUp() {
		CheckAvailabilityResponse response = check(line(HEADPHONES, 3), line(FIRST_BOOK, 1), line(HEADPHONES, 3));
		assertThat(response.getLinesList()).containsExactly(availability(HEADPHONES, 6, 5, false),
				availability(FIRST_BOOK, 1, 100, true));
		assertThat(response.getAllSufficient()).isFalse();
	}

	@Test
	void badRequestsAreInvalidArgumentNamingTheProblem() {
		assertInvalid(CheckAvailabilityRequest.getDefaultInstance(), "lines must not be empty");
		assertInvalid(request(line(FIRST_BOOK, 1), line("nope", 1)), "lines[1].product_id must be a UUID, got 'nope'");
		assertInvalid(request(line("", 1)), "lines[0].product_id must be a UUID, got ''");
		assertInvalid(request(line("1-2-3-4-5", 1)), "lines[0].product_id must be a UUID");
		assertInvalid(request(line(FIRST_BOOK, 0)), "lines[0].quantity must be between 1 and 1000000, got 0");
		assertInvalid(request(line(FIRST_BOOK, 2), line(HEADPHONES, -1)), "lines[1].quantity must be between 1");
		assertInvalid(request(line(FIRST_BOOK, 1_000_001)), "lines[0].quantity must be between 1 and 1000000");
		CheckAvailabilityRequest.Builder tooMany = CheckAvailabilityRequest.newBuilder();
		for (int i = 0; i <= InventoryGrpcService.MAX_LINES; i++) {
			tooMany.addLines(line(FIRST_BOOK, 1));
		}
		assertInvalid(tooMany.build(), "at most 100 lines per call, got 101");
	}

	@Test
	void watchWithABadProductIdIsInvalidArgument() {
		var stream = InventoryServiceGrpc.newBlockingStub(GrpcTokens.withToken(this.channel, GrpcTokens.orderService()))
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.watchStock(WatchStockRequest.newBuilder().addProductIds(FIRST_BOOK).addProductIds("x").build());
		assertThatThrownBy(stream::hasNext).isInstanceOfSatisfying(StatusRuntimeException.class, ex -> {
			assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
			assertThat(ex.getStatus().getDescription()).isEqualTo("product_ids[1] must be a UUID, got 'x'");
		});
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
	void reflectionListsTheInventoryService() throws Exception {
		CompletableFuture<Set<String>> services = new CompletableFuture<>();
		StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.serverReflectionInfo(new StreamObserver<>() {
				final Set<String> names = new HashSet<>();

				@Override
				public void onNext(ServerReflectionResponse response) {
					response.getListServicesResponse()
						.getServiceList()
						.stream()
						.map(ServiceResponse::getName)
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
		assertThat(services.get(5, TimeUnit.SECONDS)).contains("shop.inventory.v1.InventoryService",
				"grpc.health.v1.Health");
	}

	@Test
	void aCallWithoutATokenOrWithoutTheScopeInventoryReadIsRefused() {
		CheckAvailabilityRequest any = request(line(FIRST_BOOK, 1));
		assertRefused(InventoryServiceGrpc.newBlockingStub(this.channel), any, Status.Code.UNAUTHENTICATED);
		// inventory-service's own client reads the catalog, not stock; notification-service reads orders.
		for (String withoutTheScope : List.of(TestTokens.issuer().service("inventory-service", "catalog.read"),
				TestTokens.issuer().service("notification-service", "orders.read"), TestTokens.issuer().anyCustomer())) {
			assertRefused(InventoryServiceGrpc.newBlockingStub(GrpcTokens.withToken(this.channel, withoutTheScope)), any,
					Status.Code.PERMISSION_DENIED);
		}
		String expired = TestTokens.issuer()
			.token()
			.scopes("inventory.read")
			.issuedAt(java.time.Instant.now().minusSeconds(600))
			.expiresAt(java.time.Instant.now().minusSeconds(300))
			.sign();
		assertRefused(InventoryServiceGrpc.newBlockingStub(GrpcTokens.withToken(this.channel, expired)), any,
				Status.Code.UNAUTHENTICATED);
	}

	private static void assertRefused(InventoryServiceGrpc.InventoryServiceBlockingStub stub,
			CheckAvailabilityRequest request, Status.Code code) {
		assertThatThrownBy(() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).checkAvailability(request))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					ex -> assertThat(ex.getStatus().getCode()).isEqualTo(code));
	}

	private CheckAvailabilityResponse check(AvailabilityLine... lines) {
		// Every remote call has a deadline.
		return InventoryServiceGrpc.newBlockingStub(GrpcTokens.withToken(this.channel, GrpcTokens.orderService()))
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.checkAvailability(request(lines));
	}

	private void assertInvalid(CheckAvailabilityRequest request, String description) {
		assertThatThrownBy(() -> InventoryServiceGrpc.newBlockingStub(GrpcTokens.withToken(this.channel, GrpcTokens.orderService()))
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.checkAvailability(request)).isInstanceOfSatisfying(StatusRuntimeException.class, ex -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).startsWith(description);
			});
	}

	private static CheckAvailabilityRequest request(AvailabilityLine... lines) {
		return CheckAvailabilityRequest.newBuilder().addAllLines(List.of(lines)).build();
	}

	private static AvailabilityLine line(String productId, int quantity) {
		return AvailabilityLine.newBuilder().setProductId(productId).setQuantity(quantity).build();
	}

	private static LineAvailability availability(String productId, int requested, int available, boolean sufficient) {
		return LineAvailability.newBuilder()
			.setProductId(productId)
			.setRequested(requested)
			.setAvailable(available)
			.setSufficient(sufficient)
			.build();
	}

}
