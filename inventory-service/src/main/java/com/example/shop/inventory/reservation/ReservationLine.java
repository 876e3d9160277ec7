package com.example.shop.inventory.reservation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.example.shop.inventory.stock.StockRepository;

/** One product and how many units of it an order wants held. */
public record ReservationLine(UUID productId, int quantity) {

	/** Lines per reservation, as for CheckAvailability. */
	public static final int MAX_LINES = 100;

	/** Units per line: a sanity limit that also keeps merged totals far from integer overflow. */
	public static final int MAX_QUANTITY = 1_000_000;

	/**
	 * The lines of a request as they are reserved: one per product (quantities of a product named twice are
	 * added up, because what matters is how many units the order takes) and sorted by product id in
	 * {@link StockRepository#LOCK_ORDER}, the order in which every transaction of this service locks stock
	 * rows, so two transactions never wait for each other's locks in a cycle (no deadlock).
	 * @throws IllegalArgumentException for a request no retry can make valid: no lines, more than
	 * {@link #MAX_LINES}, a missing product id, a quantity outside 1..{@link #MAX_QUANTITY}
	 */
	public static List<ReservationLine> merge(List<ReservationLine> lines) {
		if (lines == null || lines.isEmpty()) {
			throw new IllegalArgumentException("a reservation needs at least one line");
		}
		if (lines.size() > MAX_LINES) {
			throw new IllegalArgumentException("at most " + MAX_LINES + " lines per reservation, got " + lines.size());
		}
		Map<UUID, Integer> quantities = new TreeMap<>(StockRepository.LOCK_ORDER);
		for (int i = 0; i < lines.size(); i++) {
			ReservationLine line = lines.get(i);
			if (line == null || line.productId() == null) {
				throw new IllegalArgumentException("line " + i + " has no product id");
			}
			if (line.quantity() < 1 || line.quantity() > MAX_QUANTITY) {
				throw new IllegalArgumentException("line " + i + " quantity must be between 1 and " + MAX_QUANTITY
						+ ", got " + line.quantity());
			}
			quantities.merge(line.productId(), line.quantity(), Integer::sum);
		}
		List<ReservationLine> merged = new ArrayList<>();
		quantities.forEach((productId, quantity) -> merged.add(new ReservationLine(productId, quantity)));
		return List.copyOf(merged);
	}

}
