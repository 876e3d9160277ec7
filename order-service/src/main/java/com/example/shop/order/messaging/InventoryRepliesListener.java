package com.example.shop.order.messaging;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * inventory-service's replies from Kafka {@code inventory.replies}. Retries and the dead-letter topic
 * {@code inventory.replies.DLT} are libs/messaging's (a malformed record goes there at once); the offset is
 * committed after the reply's transaction, and the inbox makes a redelivery harmless.
 */
@Component
class InventoryRepliesListener {

	private final SagaReplies replies;

	InventoryRepliesListener(SagaReplies replies) {
		this.replies = replies;
	}

	// The consumer group is spring.kafka.consumer.group-id (order-service), not the listener id.
	@KafkaListener(id = "inventory-replies", idIsGroup = false,
			topics = "${shop.orders.messaging.inventory-replies-topic:inventory.replies}")
	void on(String record) {
		this.replies.inventoryReply(record);
	}

}
