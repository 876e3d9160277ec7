package com.example.shop.product.availability;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code product.messaging.*}: inventory-service's stock-change topic (docs/messaging.md). The name is the
 * platform's; only tests change it (a namespace suffix per test class on the shared broker).
 *
 * @param stockChangesTopic where inventory-service publishes {@code StockChanged}
 * @param partitions of that topic; the same on every service that declares it
 */
@ConfigurationProperties("product.messaging")
public record StockChangesTopic(@DefaultValue("inventory.stock-changes") String stockChangesTopic,
		@DefaultValue("3") int partitions) {

	public StockChangesTopic {
		if (partitions < 1) {
			throw new IllegalArgumentException("product.messaging.partitions must be 1 or more, got " + partitions);
		}
	}

}
