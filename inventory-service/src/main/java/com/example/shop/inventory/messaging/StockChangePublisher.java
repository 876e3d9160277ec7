package com.example.shop.inventory.messaging;

import com.example.shop.inventory.stock.StockChangeListener;
import com.example.shop.inventory.stock.StockChanged;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.outbox.Outbox;
import com.example.shop.messaging.outbox.OutgoingMessage;

import org.springframework.stereotype.Component;

/**
 * Every stock change becomes a {@code StockChanged} message on {@code inventory.stock-changes}, written to the
 * outbox inside the transaction that makes the change: it is published if and only if the change commits.
 * Key and correlation id are the product id, so one product's changes share a partition and are published in
 * the order they were made (the stock row's lock orders the transactions that change a product, and the
 * relay publishes one key's rows in insertion order).
 * <p>
 * product-service keeps its {@code available} flag with them, and every replica of this service feeds its
 * WatchStock streams from them ({@link StockWatchFeed}).
 */
@Component
class StockChangePublisher implements StockChangeListener {

	private final Outbox outbox;

	private final InventoryMessagingProperties topics;

	StockChangePublisher(Outbox outbox, InventoryMessagingProperties topics) {
		this.outbox = outbox;
		this.topics = topics;
	}

	@Override
	public void stockChanged(StockChanged change) {
		this.outbox.enqueue(OutgoingMessage.kafka(this.topics.stockChangesTopic(),
				MessageEnvelope.of(InventoryMessagingProperties.SOURCE, StockChangeMessages.toMessage(change))));
	}

}
