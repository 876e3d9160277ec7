package com.example.shop.order.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shop.orders.messaging.*}: where the saga's messages go and come from (docs/messaging.md). The
 * names are the platform's; only tests change them (a namespace suffix per test class on the shared Kafka).
 *
 * @param partitions of the topics this service declares; the same on every service that declares them
 */
@ConfigurationProperties("shop.orders.messaging")
public record MessagingNames(@DefaultValue("inventory.commands") String inventoryCommandsTopic,
		@DefaultValue("inventory.replies") String inventoryRepliesTopic,
		@DefaultValue("orders.events") String orderEventsTopic,
		@DefaultValue("payment.commands") String paymentCommandsExchange,
		@DefaultValue("payment.replies") String paymentRepliesExchange,
		@DefaultValue("order.payment-replies") String paymentRepliesQueue,
		@DefaultValue("order-service") String paymentRepliesRoutingKey, @DefaultValue("3") int partitions) {

	/** The {@code source} of every envelope this service makes. */
	public static final String SOURCE = "order-service";

}
