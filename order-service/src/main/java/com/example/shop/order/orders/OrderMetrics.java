package com.example.shop.order.orders;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.example.shop.order.orders.OrderMessage.OrderCancelled;
import com.example.shop.order.orders.OrderMessage.OrderConfirmed;
import com.example.shop.order.orders.OrderMessage.OrderEvent;
import com.example.shop.order.orders.OrderMessage.OrderFailed;
import com.example.shop.order.orders.OrderMessage.OrderPlaced;
import com.example.shop.order.orders.OrderMessage.OrderStatusChanged;

/**
 * {@code orders.placed}, {@code orders.confirmed}, {@code orders.cancelled} (tag {@code reason}),
 * {@code orders.failed} and the {@code saga.duration} timer (placement to terminal state, tag
 * {@code outcome}), counted from the lifecycle events once their transaction committed: a rolled-back
 * transition counts nothing, and each order counts once whichever replica moved it.
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
				sagaDuration(event, "cancelled");
			}
			case OrderFailed failed -> {
				this.registry.counter("orders.failed").increment();
				sagaDuration(event, "failed");
			}
			case OrderStatusChanged changed -> {
				// Steps in between: counted by the saga's own metrics, not as an outcome.
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
