package com.example.shop.order.saga;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import com.example.shop.order.OrderRepository;
import com.example.shop.order.OrderStatus;

/**
 * {@code saga.in.flight{step}}: how many orders are in each non-terminal status (PENDING, AWAITING_PAYMENT,
 * CONFIRMING, COMPENSATING, REFUNDING), from a count in the database.
 * <p>
 * Refreshed on a schedule, not per scrape, so scrapes (several Prometheus servers, a curl) cost no query.
 * It is a count of the shared table, so every replica reports the same value: dashboards and alerts
 * aggregate it with {@code max}, never {@code sum}. All five steps are registered at 0 from the start, so
 * a step with no order shows 0, not "no data"; while the database is unreachable the last value stays.
 */
@Component
class SagaInFlightGauge {

	private static final Logger log = LoggerFactory.getLogger(SagaInFlightGauge.class);

	private final OrderRepository repository;

	private final Map<OrderStatus, AtomicLong> inFlight = new EnumMap<>(OrderStatus.class);

	SagaInFlightGauge(OrderRepository repository, MeterRegistry registry) {
		this.repository = repository;
		for (OrderStatus step : OrderStatus.values()) {
			if (!step.isTerminal()) {
				AtomicLong value = new AtomicLong();
				this.inFlight.put(step, value);
				Gauge.builder("saga.in.flight", value, AtomicLong::get)
					.description("Orders whose saga waits in this step (a database count: the same on every replica, aggregate with max)")
					.tag("step", step.name())
					.register(registry);
			}
		}
	}

	@Scheduled(fixedDelayString = "${shop.orders.saga.in-flight-refresh:10s}", initialDelay = 0)
	public void refresh() {
		try {
			Map<OrderStatus, Long> counts = this.repository.countInFlightByStatus();
			this.inFlight.forEach((step, value) -> value.set(counts.getOrDefault(step, 0L)));
		}
		catch (RuntimeException ex) {
			log.warn("Could not count the orders in flight; saga.in.flight keeps its last values: {}", ex.toString());
		}
	}

}
