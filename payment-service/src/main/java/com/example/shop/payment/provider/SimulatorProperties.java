package com.example.shop.payment.provider;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The behaviour of the {@link SimulatedPaymentProvider} beyond its test tokens
 * ({@code shop.payment.simulator.*}).
 *
 * @param latency how long every call takes before the simulator acts
 * @param failureRate the share of calls, 0.0 to 1.0, that fail transiently ({@link ProviderUnavailable})
 * before the simulator acts
 */
@ConfigurationProperties("shop.payment.simulator")
public record SimulatorProperties(@DefaultValue("50ms") Duration latency, @DefaultValue("0.0") double failureRate) {

	public SimulatorProperties {
		if (latency.isNegative()) {
			throw new IllegalArgumentException("shop.payment.simulator.latency must not be negative but was " + latency);
		}
		if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
			throw new IllegalArgumentException(
					"shop.payment.simulator.failure-rate must be between 0.0 and 1.0 but was " + failureRate);
		}
	}

}
