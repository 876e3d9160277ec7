package com.example.shop.inventory.reservation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * {@code inventory.reservations{outcome=reserved|rejected}}: reserve decisions (a redelivered command
 * answered from the record is not counted again); {@code inventory.reservations.expired}: reservations the
 * sweeper expired. Counted after commit, so a rolled-back decision is not counted.
 */
@Component
class ReservationMetrics {

	private final Counter reserved;

	private final Counter rejected;

	private final Counter expired;

	ReservationMetrics(MeterRegistry registry) {
		this.reserved = Counter.builder("inventory.reservations")
			.description("Reserve decisions by outcome")
			.tag("outcome", "reserved")
			.register(registry);
		this.rejected = Counter.builder("inventory.reservations")
			.description("Reserve decisions by outcome")
			.tag("outcome", "rejected")
			.register(registry);
		this.expired = Counter.builder("inventory.reservations.expired")
			.description("Reservations the sweeper expired")
			.register(registry);
	}

	void reservedOnCommit() {
		afterCommit(() -> this.reserved.increment());
	}

	void rejectedOnCommit() {
		afterCommit(() -> this.rejected.increment());
	}

	void expiredOnCommit(int count) {
		afterCommit(() -> this.expired.increment(count));
	}

	private static void afterCommit(Runnable action) {
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				action.run();
			}
		});
	}

}
