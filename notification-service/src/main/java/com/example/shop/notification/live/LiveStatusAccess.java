package com.example.shop.notification.live;

import java.util.Optional;
import java.util.UUID;

import com.example.shop.security.Caller;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Who may watch an order's live status, decided when the session opens:
 * <ul>
 * <li>{@link Decision.NotFound} when neither the projection nor order-service knows the order, and as well when the
 * order is another customer's: the same answer, so that a customer cannot learn that someone else's order exists.
 * order-service is asked (through {@link OrderDirectory}) when the projection does not know the status yet, or, for
 * a customer, whose order it is;</li>
 * <li>{@link Decision.Unchecked} for a customer when whose order it is cannot be known now: the projection does not
 * say, and order-service cannot answer. Refused rather than admitted: the ownership check is not skipped for
 * availability;</li>
 * <li>{@link Decision.Admitted} otherwise, with the status known so far. An admin may watch any order, so an admin
 * is admitted also when order-service cannot answer, without a status (the next event brings it).</li>
 * </ul>
 */
@Component
public class LiveStatusAccess {

	private static final Logger log = LoggerFactory.getLogger(LiveStatusAccess.class);

	private final OrderStatusProjection projection;

	private final OrderDirectory orders;

	LiveStatusAccess(OrderStatusProjection projection, OrderDirectory orders) {
		this.projection = projection;
		this.orders = orders;
	}

	public Decision decide(UUID orderId, Caller caller) {
		Optional<KnownOrder> projected = this.projection.findKnownForClient(orderId);
		OrderStatusUpdate known = projected.map(KnownOrder::status).orElse(null);
		String owner = projected.map(KnownOrder::owner).orElse(null);
		if (known == null || (owner == null && !caller.isAdmin())) {
			switch (this.orders.lookup(orderId)) {
				case OrderLookup.Found found -> {
					known = found.order().status().latest(known);
					owner = found.order().owner();
				}
				case OrderLookup.NotFound notFound -> {
					return new Decision.NotFound();
				}
				case OrderLookup.Unavailable unavailable -> {
					if (!caller.isAdmin()) {
						log.info("Refused a live session of order {}: whose order it is cannot be checked now ({})",
								orderId, unavailable.why());
						return new Decision.Unchecked();
					}
					log.info("Accepted an admin's live session of order {} without its status ({}); it gets the "
							+ "next event", orderId, unavailable.why());
				}
			}
		}
		if (!caller.mayRead(owner)) {
			return new Decision.NotFound();
		}
		return new Decision.Admitted(known);
	}

	/** What {@link #decide} answers. */
	public sealed interface Decision {

		/** The caller may watch the order; {@code known} is its status so far, null when not known yet. */
		record Admitted(@Nullable OrderStatusUpdate known) implements Decision {
		}

		/** No such order, or another customer's. */
		record NotFound() implements Decision {
		}

		/** Whose order it is cannot be checked now; asking again in a few seconds may succeed. */
		record Unchecked() implements Decision {
		}

	}

}
