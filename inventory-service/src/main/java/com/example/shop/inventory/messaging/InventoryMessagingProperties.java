package com.example.shop.inventory.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code inventory.messaging.*}: the Kafka topics of docs/messaging.md this service consumes and produces. The
 * names are the platform's; only tests change them (a namespace suffix per test class on the shared broker).
 * The per-replica consumer group of the WatchStock feed is {@code inventory.messaging.watch-group-id}, read
 * by the listener itself (see {@link StockWatchFeed}).
 *
 * @param commandsTopic the saga's commands from order-service
 * @param repliesTopic the answers to them
 * @param stockChangesTopic every committed stock change, keyed by product id
 * @param partitions of the topics this service declares; the same on every service that declares them
 */
@ConfigurationProperties("inventory.messaging")
public record InventoryMessagingProperties(@DefaultValue("inventory.commands") String commandsTopic,
		@DefaultValue("inventory.replies") String repliesTopic,
		@DefaultValue("inventory.stock-changes") String stockChangesTopic, @DefaultValue("3") int partitions) {

	/** The {@code source} of every envelope this service makes. */
	public static final String SOURCE = "inventory-service";

	public InventoryMessagingProperties {
		if (partitions < 1) {
			throw new IllegalArgumentException("inventory.messaging.partitions must be 1 or more, got " + partitions);
		}
	}

}
