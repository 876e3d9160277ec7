package com.example.shop.order.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.example.shop.order.StockAvailability;
import com.example.shop.order.StockCheck;
import com.example.shop.order.StockCheck.ShortLine;
import com.example.shop.order.StockCheck.SkipReason;
import com.example.shop.order.StockAvailability.Line;
import com.example.shop.proto.inventory.v1.AvailabilityLine;
import com.example.shop.proto.inventory.v1.CheckAvailabilityRequest;
import com.example.shop.proto.inventory.v1.CheckAvailabilityResponse;
import com.example.shop.proto.inventory.v1.InventoryServiceGrpc.InventoryServiceBlockingStub;
import com.example.shop.proto.inventory.v1.LineAvailability;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The availability check before an order is accepted: inventory-service's {@code CheckAvailability} over
 * gRPC. Advisory only: it reserves nothing, and the saga's ReserveStock decides. So it must never make
 * placing an order slow or fail: a short deadline (the channel's {@code default-deadline}, 300 ms), a
 * {@link Bulkhead} "inventory" (a bounded number of concurrent checks; one more is skipped, never queued) and
 * a {@link CircuitBreaker} "inventory" (stop asking an inventory that keeps failing). Whenever there is no
 * answer the check is {@link StockCheck.Skipped skipped}, counted in {@code inventory.check.skipped{why}},
 * and the order is accepted.
 */
public class StockAvailabilityClient implements StockAvailability {

	private static final Logger log = LoggerFactory.getLogger(StockAvailabilityClient.class);

	private final InventoryServiceBlockingStub inventory;

	private final CircuitBreaker circuitBreaker;

	private final Bulkhead bulkhead;

	private final MeterRegistry registry;

	public StockAvailabilityClient(InventoryServiceBlockingStub inventory, CircuitBreaker circuitBreaker,
			Bulkhead bulkhead, MeterRegistry registry) {
		this.inventory = inventory;
		this.circuitBreaker = circuitBreaker;
		this.bulkhead = bulkhead;
		this.registry = registry;
		for (SkipReason reason : SkipReason.values()) {
			skipped(reason);
		}
	}

	/** @param lines one per product, quantities 1 or more */
	@Override
	public StockCheck check(List<Line> lines) {
		CheckAvailabilityRequest.Builder request = CheckAvailabilityRequest.newBuilder();
		for (Line line : lines) {
			request.addLines(AvailabilityLine.newBuilder()
				.setProductId(line.productId().toString())
				.setQuantity(line.quantity()));
		}
		CheckAvailabilityResponse response;
		try {
			response = Bulkhead.decorateSupplier(this.bulkhead,
					CircuitBreaker.decorateSupplier(this.circuitBreaker, () -> this.inventory.checkAvailability(request.build())))
				.get();
		}
		catch (BulkheadFullException ex) {
			return skip(SkipReason.BULKHEAD_FULL, ex);
		}
		catch (CallNotPermittedException ex) {
			return skip(SkipReason.CIRCUIT_OPEN, ex);
		}
		catch (StatusRuntimeException ex) {
			Status.Code code = ex.getStatus().getCode();
			SkipReason reason = switch (code) {
				case DEADLINE_EXCEEDED -> SkipReason.DEADLINE;
				case UNAVAILABLE -> SkipReason.UNAVAILABLE;
				default -> SkipReason.ERROR;
			};
			return skip(reason, ex);
		}
		if (response.getAllSufficient()) {
			return new StockCheck.Sufficient();
		}
		List<ShortLine> shortLines = new ArrayList<>();
		for (LineAvailability line : response.getLinesList()) {
			if (!line.getSufficient()) {
				shortLines.add(new ShortLine(UUID.fromString(line.getProductId()), line.getRequested(), line.getAvailable()));
			}
		}
		return new StockCheck.Short(shortLines);
	}

	private StockCheck skip(SkipReason reason, RuntimeException cause) {
		log.info("Availability check skipped ({}), the order is accepted and the saga decides: {}", reason.tag(),
				cause.toString());
		skipped(reason).increment();
		return new StockCheck.Skipped(reason);
	}

	private Counter skipped(SkipReason reason) {
		return Counter.builder("inventory.check.skipped")
			.description("Orders accepted without an availability answer from inventory-service")
			.tag("why", reason.tag())
			.register(this.registry);
	}


}
