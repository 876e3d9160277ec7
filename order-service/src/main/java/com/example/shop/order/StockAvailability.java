package com.example.shop.order;

import java.util.List;
import java.util.UUID;

/**
 * What placing an order asks of inventory before accepting it: is there enough of each line now? A port: the gRPC
 * adapter ({@code order/inventory/StockAvailabilityClient}) brings the deadline, the breaker and the bulkhead, and
 * answers {@link StockCheck.Skipped} rather than failing when inventory cannot be asked (the saga decides then).
 */
public interface StockAvailability {

	StockCheck check(List<Line> lines);

	/** A line to check: how many of which product. */
	record Line(UUID productId, int quantity) {
	}

}
