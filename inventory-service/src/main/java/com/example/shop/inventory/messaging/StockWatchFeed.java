package com.example.shop.inventory.messaging;

import com.example.shop.inventory.grpc.StockWatchers;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelopeCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds this replica's WatchStock streams from {@code inventory.stock-changes}, so a watcher sees the changes
 * of every replica, not only of the one it is connected to. The only feed: changes this replica makes reach
 * its watchers this way too, after their transaction committed (the outbox publishes nothing else).
 * <p>
 * The consumer group is this replica's own ({@code inventory.messaging.watch-group-id}, a random id per
 * start), so every replica reads every change; it starts at the end of the topic ({@code latest}), because
 * WatchStock sends changes made after a stream opened, never history. {@link StockWatchers} drops a change
 * that is not newer than one it already sent (a redelivery, the outbox publishing again).
 * <p>
 * A record that is not a readable StockChanged is logged and skipped here rather than dead-lettered: this
 * consumer is a per-replica view that keeps nothing, and every replica would otherwise put its own copy into
 * {@code inventory.stock-changes.DLT}; product-service, the topic's durable consumer, dead-letters it once.
 */
@Component
class StockWatchFeed {

	private static final Logger log = LoggerFactory.getLogger(StockWatchFeed.class);

	private final StockWatchers watchers;

	StockWatchFeed(StockWatchers watchers) {
		this.watchers = watchers;
	}

	// One consumer thread for all partitions: it only queues changes for the streams (StockWatchers.broadcast).
	@KafkaListener(id = "inventory-stock-watch", idIsGroup = false,
			topics = "${inventory.messaging.stock-changes-topic:inventory.stock-changes}",
			groupId = "${inventory.messaging.watch-group-id:inventory-watch-${random.uuid}}", concurrency = "1",
			properties = "auto.offset.reset=latest")
	void on(String record) {
		try {
			this.watchers.broadcast(StockChangeMessages.read(MessageEnvelopeCodec.decode(record)));
		}
		catch (MalformedMessageException ex) {
			log.warn("Skipped a record of the stock-change topic that is not a StockChanged: {}", ex.getMessage());
		}
	}

}
