package com.example.shop.order;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.order.idempotency.IdempotencyClaim;
import com.example.shop.order.idempotency.IdempotencyClaim.Claimed;
import com.example.shop.order.idempotency.IdempotencyKeys;
import com.example.shop.order.idempotency.RequestFingerprint;
import com.example.shop.order.OrderRefusedException.Reason;
import com.example.shop.order.OrderRefusedException.RefusedField;
import com.example.shop.order.Order.Placed;

/**
 * POST /api/orders: prices the lines from the catalog (never from the client), checks availability, and
 * stores the order PENDING together with its first messages (ReserveStock, OrderPlaced), exactly once per
 * Idempotency-Key of the customer. Nothing is stored unless the order is accepted.
 */
@Service
public class OrderPlacement {

	private static final Logger log = LoggerFactory.getLogger(OrderPlacement.class);

	private final ProductCatalog catalog;

	private final StockAvailability stock;

	private final IdempotencyKeys idempotencyKeys;

	private final OrderRepository orders;

	private final SagaMessageSender sender;

	private final OrderMetrics metrics;

	private final TransactionTemplate transactions;

	private final SagaTimeouts timeouts;

	private final Clock clock;

	OrderPlacement(ProductCatalog catalog, StockAvailability stock, IdempotencyKeys idempotencyKeys,
			OrderRepository orders, SagaMessageSender sender, OrderMetrics metrics, TransactionTemplate transactions,
			SagaTimeouts timeouts, Clock clock) {
		this.catalog = catalog;
		this.stock = stock;
		this.idempotencyKeys = idempotencyKeys;
		this.orders = orders;
		this.sender = sender;
		this.metrics = metrics;
		this.transactions = transactions;
		this.timeouts = timeouts;
		this.clock = clock;
	}

	/**
	 * @param request with the caller's own customer id: the key is looked up among that customer's keys only
	 * @param idempotencyKey null when the client sent none
	 * @return the new order, or the order this customer's key made before (a replay)
	 */
	public Placement place(PlaceOrder request, String idempotencyKey) {
		if (idempotencyKey == null) {
			return new Placement(placeNew(request, null), true);
		}
		IdempotencyClaim claim = this.idempotencyKeys.claim(request.customerId(), idempotencyKey,
				RequestFingerprint.of(request.canonical()));
		return switch (claim) {
			case IdempotencyClaim.Completed completed -> new Placement(this.orders.findById(completed.orderId())
				.orElseThrow(() -> new IllegalStateException("order " + completed.orderId() + " of a key vanished")), false);
			case IdempotencyClaim.InFlight inFlight -> throw new OrderRefusedException(Reason.KEY_IN_FLIGHT,
					"A request with this Idempotency-Key is still being processed; retry in a moment to get its order");
			case IdempotencyClaim.Mismatch mismatch -> throw new OrderRefusedException(Reason.KEY_REUSED,
					"This Idempotency-Key was already used with a different request body; use a new key for a new order");
			case Claimed claimed -> {
				try {
					yield new Placement(placeNew(request, claimed), true);
				}
				catch (RuntimeException ex) {
					releaseQuietly(claimed);
					throw ex;
				}
			}
		};
	}

	/** The order, and whether this request created it (false: the same request was served before). */
	public record Placement(Order order, boolean created) {
	}

	private Order placeNew(PlaceOrder request, Claimed claim) {
		Priced priced = price(request);
		List<OrderLine> lines = priced.lines();
		checkAvailability(request, lines);
		// Microseconds, as PostgreSQL stores them, so what the POST answers equals what a GET reads.
		var now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		Placed placed = Order.place(UUID.randomUUID(), request.customerId(), request.customerEmail(), lines,
				priced.currency(), request.paymentToken(), now, this.timeouts);
		this.transactions.executeWithoutResult((tx) -> {
			this.orders.insert(placed.order());
			this.sender.send(placed.messages());
			this.metrics.countOnCommit(placed.messages());
			if (claim != null && !this.idempotencyKeys.complete(claim, placed.order().id())) {
				// Our claim was taken over (we took longer than takeover-after): the other request makes the
				// order. Throwing rolls this one back.
				throw new OrderRefusedException(Reason.KEY_IN_FLIGHT,
						"A request with this Idempotency-Key is being processed by another attempt; retry in a moment to "
								+ "get its order");
			}
		});
		log.info("Order {} placed: {} line(s), {} {}", placed.order().id(), lines.size(), placed.order().total(),
				placed.order().currency());
		return placed.order();
	}

	/** One catalog call for every line; unknown products, mixed currencies and absurd totals are refused. */
	private Priced price(PlaceOrder request) {
		Set<UUID> ids = new LinkedHashSet<>();
		request.items().forEach((item) -> ids.add(item.productId()));
		CatalogLookup lookup;
		try {
			lookup = this.catalog.lookup(ids);
		}
		catch (CatalogUnavailableException ex) {
			log.warn("Order refused, catalog unavailable: {}", ex.getMessage());
			throw new OrderRefusedException(Reason.CATALOG_UNAVAILABLE,
					"The product catalog is unavailable, so the order cannot be priced; nothing was stored. Try again "
							+ "shortly (with the same Idempotency-Key)");
		}
		if (!lookup.missing().isEmpty()) {
			Set<UUID> unknown = new TreeSet<>(lookup.missing());
			List<RefusedField> errors = new ArrayList<>();
			for (int i = 0; i < request.items().size(); i++) {
				if (unknown.contains(request.items().get(i).productId())) {
					errors.add(new RefusedField("items[" + i + "].productId", "is not a product of the catalog"));
				}
			}
			throw new OrderRefusedException(Reason.UNKNOWN_PRODUCTS,
					"No such product(s) in the catalog: " + unknown.stream().map(Object::toString).sorted().toList(),
					errors);
		}
		List<OrderLine> lines = new ArrayList<>();
		Map<String, List<Integer>> linesByCurrency = new HashMap<>();
		for (int i = 0; i < request.items().size(); i++) {
			PlaceOrder.Item item = request.items().get(i);
			CatalogProduct product = lookup.found().get(item.productId());
			if (product == null) {
				throw new IllegalStateException("catalog answered neither found nor missing for " + item.productId());
			}
			linesByCurrency.computeIfAbsent(product.currency(), (c) -> new ArrayList<>()).add(i);
			lines.add(OrderLine.priced(product.id(), product.sku(), product.name(), product.price(), item.quantity()));
		}
		if (linesByCurrency.size() > 1) {
			List<RefusedField> errors = new ArrayList<>();
			linesByCurrency.forEach((currency, indexes) -> indexes.forEach(
					(i) -> errors.add(new RefusedField("items[" + i + "].productId", "is priced in " + currency))));
			throw new OrderRefusedException(Reason.MIXED_CURRENCIES,
					"The products are priced in different currencies " + linesByCurrency.keySet().stream().sorted().toList()
							+ "; place one order per currency",
					errors);
		}
		BigDecimal total = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
		if (total.compareTo(Money.MAX_AMOUNT) > 0 || lines.stream()
			.anyMatch((line) -> line.lineTotal().compareTo(Money.MAX_AMOUNT) > 0)) {
			throw new OrderRefusedException(Reason.TOTAL_TOO_LARGE,
					"The order total " + total + " exceeds the maximum of " + Money.MAX_AMOUNT);
		}
		return new Priced(lines, linesByCurrency.keySet().iterator().next());
	}

	private record Priced(List<OrderLine> lines, String currency) {
	}

	/** Refuses only what is known to be short; no answer means "accept, the saga decides". */
	private void checkAvailability(PlaceOrder request, List<OrderLine> lines) {
		StockCheck check = this.stock
			.check(lines.stream().map((line) -> new StockAvailability.Line(line.productId(), line.quantity())).toList());
		if (check instanceof StockCheck.Short shortage) {
			Map<UUID, Integer> index = new HashMap<>();
			for (int i = 0; i < request.items().size(); i++) {
				index.put(request.items().get(i).productId(), i);
			}
			List<RefusedField> errors = shortage.lines()
				.stream()
				.map((line) -> new RefusedField("items[" + index.getOrDefault(line.productId(), -1) + "].quantity",
						"requested " + line.requested() + " of product " + line.productId() + ", available "
								+ line.available()))
				.toList();
			throw new OrderRefusedException(Reason.INSUFFICIENT_STOCK, errors.size()
					+ " line(s) ask for more than is in stock: " + errors.stream().map(RefusedField::field).toList(), errors);
		}
	}

	private void releaseQuietly(Claimed claim) {
		try {
			this.idempotencyKeys.release(claim);
		}
		catch (RuntimeException ex) {
			// The key stays IN_FLIGHT and is taken over after takeover-after: the client waits a little longer.
			log.warn("Could not release an Idempotency-Key after a failed request: {}", ex.toString());
		}
	}

}
