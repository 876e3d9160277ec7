package com.example.shop.order;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;


/**
 * Reading orders, and moving them through the saga: every transition (a reply, a cancel, a timeout) runs
 * the same way, {@link #transition}: lock the order's row, apply the aggregate's method, store the result
 * (version-checked) and hand its messages to the outbox, all in one transaction.
 */
@Service
public class Orders {

	private static final Logger log = LoggerFactory.getLogger(Orders.class);

	private final OrderRepository repository;

	private final SagaMessageSender sender;

	private final OrderMetrics metrics;

	private final SagaTimeouts timeouts;

	private final Clock clock;

	Orders(OrderRepository repository, SagaMessageSender sender, OrderMetrics metrics, SagaTimeouts timeouts,
			Clock clock) {
		this.repository = repository;
		this.sender = sender;
		this.metrics = metrics;
		this.timeouts = timeouts;
		this.clock = clock;
	}

	public Optional<Order> find(UUID id) {
		return this.repository.findById(id);
	}

	public OrderPage search(OrderSearch search, OrderSort sort, int page, int size) {
		return new OrderPage(this.repository.search(search, sort, page, size), page, size, this.repository.count(search));
	}

	/**
	 * The customer's (or an admin's) cancel: 202 while PENDING or AWAITING_PAYMENT (compensation starts), for a
	 * CONFIRMED order within the refund window (the refund starts), and again once COMPENSATING, REFUNDING or
	 * CANCELLED (nothing more happens).
	 * @param customerId the only customer whose order may be cancelled (the caller); null: anyone's (an admin)
	 * @throws OrderNotFoundException for an unknown order, and for another customer's: the same answer, so an id
	 * tells a stranger nothing
	 * @throws OrderNotCancellableException while CONFIRMING, once FAILED, and once a CONFIRMED order's refund window passed
	 */
	@Transactional
	public Order cancel(UUID id, UUID customerId) {
		Order order = this.repository.lock(id)
			.filter((locked) -> customerId == null || locked.customerId().equals(customerId))
			.orElseThrow(() -> new OrderNotFoundException(id));
		try {
			apply(order, (locked, now) -> locked.cancel(now, this.timeouts));
			return order;
		}
		catch (IllegalOrderTransitionException ex) {
			String why = (ex.getStatus() == OrderStatus.CONFIRMED)
					? " was confirmed more than " + this.timeouts.refundWindow().toDays() + " days ago: its refund window has passed"
					: " is " + ex.getStatus() + " and can no longer be cancelled";
			throw new OrderNotCancellableException("Order " + id + why, ex);
		}
	}

	/**
	 * Applies one saga transition to the order, in the caller's transaction.
	 * @return the order after the transition (for reading: its {@code version} is the one it was loaded with);
	 * empty when there is no such order
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public Optional<Order> transition(UUID orderId, BiFunction<Order, Instant, List<OrderMessage>> transition) {
		Optional<Order> locked = this.repository.lock(orderId);
		locked.ifPresent((order) -> apply(order, transition));
		return locked;
	}

	/** As {@link #transition}, for an order the caller has locked already. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void apply(Order order, BiFunction<Order, Instant, List<OrderMessage>> transition) {
		OrderStatus before = order.status();
		List<OrderMessage> messages = transition.apply(order, now());
		if (order.isModified()) {
			this.repository.update(order);
			if (order.status() != before) {
				log.info("Order {}: {} -> {}{}", order.id(), before, order.status(),
						(order.cancellationReason() != null) ? " (" + order.cancellationReason() + ")" : "");
			}
		}
		this.sender.send(messages);
		this.metrics.countOnCommit(messages);
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	public static OrderNotFoundException notFound(UUID id) {
		return new OrderNotFoundException(id);
	}

}
