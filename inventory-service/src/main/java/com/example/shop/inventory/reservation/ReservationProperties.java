package com.example.shop.inventory.reservation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code inventory.reservations.*} (application.yml explains the values).
 *
 * @param ttl how long stock stays held for an order that is neither confirmed nor released
 * @param expiry how the sweeper runs
 */
@ConfigurationProperties("inventory.reservations")
public record ReservationProperties(@DefaultValue("15m") Duration ttl, @DefaultValue Expiry expiry) {

	public ReservationProperties {
		if (ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("inventory.reservations.ttl must be positive, got " + ttl);
		}
	}

	/**
	 * @param interval pause between two sweeps of one replica
	 * @param batchSize reservations expired per transaction
	 */
	public record Expiry(@DefaultValue("10s") Duration interval, @DefaultValue("100") int batchSize) {

		public Expiry {
			if (batchSize < 1) {
				throw new IllegalArgumentException("inventory.reservations.expiry.batch-size must be >= 1");
			}
		}

	}

}
