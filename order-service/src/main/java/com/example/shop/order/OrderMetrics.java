package com.example.shop.order;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.example.shop.order.OrderMessage.OrderCancelled;
import com.example.shop.order.OrderMessage.OrderConfirmed;
import com.example.shop.order.OrderMessage.OrderEvent;
import com.example.shop.order.OrderMessage.OrderFailed;
import com.example.shop.order.OrderMessage.OrderPlaced;
import com.example.shop.order.OrderMessage.OrderStatusChanged;

/**
 * {@code orders.placed}, {@code orders.confirmed}, {@code orders.cancelled} (tag {@code reason}),
 * {@code orders.failed}, the {@code saga.duration} timer (placement to terminal state, tag {@code outcome})
 * and {@code saga.compensations} (tag {@code reason}: a compensation started, the order moved into
 * COMPENSATING), counted from the lifecycle events once their transaction committed: a rolled-back
 * transition counts nothing, and each order counts once whichever replica moved it. Also
 * {@code saga.step.timeouts} (tag {@code step}: the status whose deadline passed), counted by the sweeper
 * after the timeout's transaction committed.
 */
@Component
public class OrderMetrics {

	private final MeterRegistry registry;

	OrderMetrics(MeterRegistry registry) {
		this.registry = registry;
		// Registered up front so dashboards show 0 instead of "no data".
		Counter.builder("orders.placed").description("Orders accepted").register(registry);
		Counter.builder("orders.confirmed").description("Orders confirmed").register(registry);
		Counter.builder("orders.failed").description("Orders that need an operator").register(registry);
		for (CancellationReason reason : CancellationReason.values()) {
			Counter.builder("orders.cancelled").description("Orders cancelled, by reason")
				.tag("reason", reason.name())
				.register(registry);
			compensations(reason);
		}
		for (OrderStatus step : OrderStatus.values()) {
			if (!step.isTerminal()) {
				stepTimeouts(step);
			}
		}
	}

	/** A saga step's deadline passed for an order in {@code step} and the timeout was applied (committed). */
	public void stepTimedOut(OrderStatus step) {
		stepTimeouts(step).increment();
	}

	private Counter stepTimeouts(OrderStatus step) {
		return Counter.builder("saga.step.timeouts")
			.description("Saga step deadlines that passed without the awaited reply, by the status waiting for it")
			.tag("step", step.name())
			.register(this.registry);
	}

	private Counter compensations(CancellationReason reason) {
		return Counter.builder("saga.compensations")
			.description("Compensations started (order moved into COMPENSATING), by cancellation reason")
			.tag("reason", reason.name())
			.register(this.registry);
	}

	/** Counts the events among {@code messages} after the current transaction commits. */
	public void countOnCommit(List<? extends OrderMessage> messages) {
		List<OrderEvent> events = messages.stream()
			.filter(OrderEvent.class::isInstance)
			.map(OrderEvent.class::cast)
			.toList();
		if (events.isEmpty()) {
			return;
		}
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			events.forEach(this::count);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				events.forEach(OrderMetrics.this::count);
			}
		});
	}

	private void count(OrderEvent event) {
		switch (event) {
			case OrderPlaced placed -> this.registry.counter("orders.placed").increment();
			case OrderConfirmed confirmed -> {
				this.registry.counter("orders.confirmed").increment();
				sagaDuration(event, "confirmed");
			}
			case OrderCancelled cancelled -> {
				this.registry.counter("orders.cancelled", "reason", cancelled.reason().name()).increment();
				// A refund comes days after the saga's outcome (CONFIRMED, already timed): not a saga duration.
				if (cancelled.reason() != CancellationReason.REFUNDED) {
					sagaDuration(event, "cancelled");
				}
			}
			case OrderFailed failed -> {
				this.registry.counter("orders.failed").increment();
				// A failed refund ends a saga that had its outcome (CONFIRMED) days before: not a saga duration.
				if (failed.order().cancellationReason() != CancellationReason.REFUNDED) {
					sagaDuration(event, "failed");
				}
			}
			case OrderStatusChanged changed -> {
				// Steps in between are not outcomes; the start of a compensation is worth its own counter.
				if (changed.order().status() == OrderStatus.COMPENSATING && changed.order().cancellationReason() != null) {
					compensations(changed.order().cancellationReason()).increment();
				}
			}
		}
	}

	private void sagaDuration(OrderEvent event, String outcome) {
		Timer.builder("saga.duration")
			.description("From placing an order to its terminal state")
			.tag("outcome", outcome)
			.register(this.registry)
			.record(Duration.between(event.order().createdAt(), event.order().at()));
	}

}
