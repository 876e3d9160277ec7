package com.example.shop.payment.provider;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How payment-service calls its provider ({@code shop.payment.provider.*}).
 *
 * @param timeout the deadline of every provider call; past it the call is {@link ProviderUnavailable}
 */
@ConfigurationProperties("shop.payment.provider")
public record ProviderProperties(@DefaultValue("2s") Duration timeout) {

	public ProviderProperties {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("shop.payment.provider.timeout must be positive but was " + timeout);
		}
	}

}
