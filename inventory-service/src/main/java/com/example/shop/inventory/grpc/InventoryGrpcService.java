package com.example.shop.inventory.grpc;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.example.shop.inventory.reservation.ReservationLine;
import com.example.shop.inventory.stock.ProductIds;
import com.example.shop.inventory.stock.StockLevels;
import com.example.shop.proto.inventory.v1.AvailabilityLine;
import com.example.shop.proto.inventory.v1.CheckAvailabilityRequest;
import com.example.shop.proto.inventory.v1.CheckAvailabilityResponse;
import com.example.shop.proto.inventory.v1.InventoryServiceGrpc;
import com.example.shop.proto.inventory.v1.LineAvailability;
import com.example.shop.proto.inventory.v1.StockChanged;
import com.example.shop.proto.inventory.v1.WatchStockRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import org.springframework.grpc.server.service.GrpcService;

/**
 * shop.inventory.v1.InventoryService (proto module) for other services: order-service checks availability
 * before it accepts an order; anyone may watch stock change. Bad requests answer INVALID_ARGUMENT;
 * infrastructure failures are mapped by {@link GrpcErrors}.
 */
@GrpcService
class InventoryGrpcService extends InventoryServiceGrpc.InventoryServiceImplBase {

	static final int MAX_LINES = ReservationLine.MAX_LINES;

	static final int MAX_WATCHED_PRODUCTS = 1000;

	private final StockLevels stock;

	private final StockWatchers watchers;

	InventoryGrpcService(StockLevels stock, StockWatchers watchers) {
		this.stock = stock;
		this.watchers = watchers;
	}

	/**
	 * Whether each product has the requested units available now, in one query. Reserves nothing, so the
	 * answer may be outdated a moment later; the reservation decides. Lines naming the same product are
	 * merged (their quantities added, as a reservation would), so the answer has one line per product, in
	 * the order the products were first named. A product without stock is available 0, not sufficient.
	 */
	@Override
	public void checkAvailability(CheckAvailabilityRequest request,
			StreamObserver<CheckAvailabilityResponse> responseObserver) {
		int count = request.getLinesCount();
		if (count == 0) {
			throw invalid("lines must not be empty");
		}
		if (count > MAX_LINES) {
			throw invalid("at most " + MAX_LINES + " lines per call, got " + count);
		}
		Map<UUID, Integer> requested = new LinkedHashMap<>();
		for (int i = 0; i < count; i++) {
			AvailabilityLine line = request.getLines(i);
			UUID productId = productId(line.getProductId(), "lines[" + i + "].product_id");
			if (line.getQuantity() < 1 || line.getQuantity() > ReservationLine.MAX_QUANTITY) {
				throw invalid("lines[" + i + "].quantity must be between 1 and " + ReservationLine.MAX_QUANTITY
						+ ", got " + line.getQuantity());
			}
			requested.merge(productId, line.getQuantity(), Integer::sum);
		}
		Map<UUID, Integer> available = this.stock.available(requested.keySet());
		CheckAvailabilityResponse.Builder response = CheckAvailabilityResponse.newBuilder();
		boolean allSufficient = true;
		for (Map.Entry<UUID, Integer> line : requested.entrySet()) {
			int units = available.getOrDefault(line.getKey(), 0);
			boolean sufficient = units >= line.getValue();
			allSufficient &= sufficient;
			response.addLines(LineAvailability.newBuilder()
				.setProductId(line.getKey().toString())
				.setRequested(line.getValue())
				.setAvailable(units)
				.setSufficient(sufficient));
		}
		responseObserver.onNext(response.setAllSufficient(allSufficient).build());
		responseObserver.onCompleted();
	}

	/**
	 * Every stock change of the given products (none given: of all products) committed from now on, until
	 * the client cancels. Changes only, no initial snapshot: read the current levels with CheckAvailability
	 * or REST after the stream is open. A client that reads too slowly is closed with RESOURCE_EXHAUSTED
	 * (see {@link StockWatcher}); at shutdown the stream completes normally. Every replica streams the
	 * changes of all replicas (fed from the stock-change topic).
	 */
	@Override
	public void watchStock(WatchStockRequest request, StreamObserver<StockChanged> responseObserver) {
		if (request.getProductIdsCount() > MAX_WATCHED_PRODUCTS) {
			throw invalid("at most " + MAX_WATCHED_PRODUCTS + " product_ids per watch, got "
					+ request.getProductIdsCount());
		}
		Set<UUID> productIds = new LinkedHashSet<>();
		for (int i = 0; i < request.getProductIdsCount(); i++) {
			productIds.add(productId(request.getProductIds(i), "product_ids[" + i + "]"));
		}
		this.watchers.open((ServerCallStreamObserver<StockChanged>) responseObserver, productIds);
	}

	private static UUID productId(String value, String field) {
		return ProductIds.parse(value)
			.orElseThrow(() -> invalid(field + " must be a UUID, got '" + abbreviate(value) + "'"));
	}

	private static StatusRuntimeException invalid(String description) {
		return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
	}

	private static String abbreviate(String value) {
		return (value.length() > 64) ? value.substring(0, 64) + "..." : value;
	}

}
