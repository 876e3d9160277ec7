package com.example.shop.order.saga;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.example.shop.order.OrderMetrics;
import com.example.shop.order.OrderRepository;
import com.example.shop.order.OrderStatus;
import com.example.shop.order.Orders;
import com.example.shop.order.SagaTimeouts;

/**
 * Fires saga step timeouts: every order whose {@code step_deadline} has passed gets
 * {@link com.example.shop.order.Order#onStepTimeout} (compensate with TIMEOUT, or re-send the
 * unanswered commands with backoff, or FAILED after the last attempt).
 * <p>
 * Deadlines live in the order rows, so any replica fires them, also those of a replica that died, and a
 * restart loses none. Each due order is handled in its own transaction that takes its row with
 * {@code FOR UPDATE SKIP LOCKED}: the sweeper of another replica, or a reply being applied to that order
 * right now, makes this one skip it instead of waiting or firing twice; a failure on one order does not
 * hold up the others.
 */
@Component
class StepTimeoutSweeper {

	private static final Logger log = LoggerFactory.getLogger(StepTimeoutSweeper.class);

	private final OrderRepository repository;

	private final Orders orders;

	private final SagaTimeouts timeouts;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final int batchSize;

	private final OrderMetrics metrics;

	StepTimeoutSweeper(OrderRepository repository, Orders orders, SagaTimeouts timeouts,
			TransactionTemplate transactions, Clock clock,
			@Value("${shop.orders.saga.sweep-batch-size:100}") int batchSize, OrderMetrics metrics) {
		this.metrics = metrics;
		this.repository = repository;
		this.orders = orders;
		this.timeouts = timeouts;
		this.transactions = transactions;
		this.clock = clock;
		this.batchSize = batchSize;
	}

	/** @return how many timeouts fired */
	@Scheduled(fixedDelayString = "${shop.orders.saga.sweep-interval:1s}",
			initialDelayString = "${shop.orders.saga.sweep-interval:1s}")
	public int sweep() {
		List<UUID> due = this.repository.findDue(this.clock.instant(), this.batchSize);
		int fired = 0;
		for (UUID orderId : due) {
			try {
				OrderStatus timedOut = this.transactions.execute((tx) -> this.repository.lockIfDue(orderId, this.clock.instant())
					.map((order) -> {
						OrderStatus step = order.status();
						this.orders.apply(order, (locked, now) -> locked.onStepTimeout(now, this.timeouts));
						return step;
					})
					.orElse(null));
				if (timedOut != null) {
					// After the commit: a timeout that rolled back did not happen.
					this.metrics.stepTimedOut(timedOut);
					fired++;
				}
			}
			catch (RuntimeException ex) {
				log.error("Step timeout of order {} failed; it is tried again at the next sweep", orderId, ex);
			}
		}
		if (fired > 0) {
			log.info("Fired {} saga step timeout(s)", fired);
		}
		return fired;
	}

}
