package com.example.shop.product.messaging;

import com.example.shop.product.availability.ProductAvailability;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * inventory-service's stock changes from Kafka {@code inventory.stock-changes}, in the consumer group of all
 * replicas ({@code spring.kafka.consumer.group-id}, product-service): each change is applied once, to the
 * shared database. Retries and {@code inventory.stock-changes.DLT} are libs/messaging's; a malformed record goes
 * there at once and the records behind it go on.
 * <p>
 * Kafka is not needed to serve the catalog: while the broker is unreachable the consumer keeps reconnecting in
 * the background, and readiness does not include it.
 */
@Component
class StockChangesListener {

	private final ProductAvailability availability;

	StockChangesListener(ProductAvailability availability) {
		this.availability = availability;
	}

	@KafkaListener(id = "stock-changes", idIsGroup = false,
			topics = "${product.messaging.stock-changes-topic:inventory.stock-changes}")
	void on(String record) {
		this.availability.accept(record);
	}

}
