package com.example.shop.inventory.messaging;

import java.time.Instant;
import java.util.UUID;

import com.example.shop.inventory.stock.StockChanged;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageEnvelope;

/**
 * {@code StockChanged} on {@code inventory.stock-changes}, payload schema version 1: a product's whole stock
 * after a change, so the newest change of a product is all a consumer needs.
 * <p>
 * {@code version} is the stock row's version after the change (one more per change of that product): a
 * consumer keeps the highest it applied and ignores anything not newer, so a redelivered, replayed or late
 * change cannot take a product back in time. It is an addition to the fields docs/messaging.md lists, which
 * the schema rules allow within version 1.
 *
 * @param at when the change was made (database clock)
 */
record StockChangedPayload(UUID productId, Integer onHand, Integer reserved, Integer available, Long version,
		Instant at) {

	static final String TYPE = "StockChanged";

	static final int VERSION = 1;

	static StockChangedPayload of(StockChanged change) {
		return new StockChangedPayload(change.productId(), change.onHand(), change.reserved(), change.available(),
				change.version(), change.at());
	}

	/** The change in a message of {@code inventory.stock-changes}. */
	static StockChanged read(MessageEnvelope message) {
		if (!TYPE.equals(message.type()) || message.version() != VERSION) {
			throw new MalformedMessageException(message.describe() + " is not a StockChanged v" + VERSION);
		}
		StockChangedPayload payload = message.payloadAs(StockChangedPayload.class);
		if (payload.productId() == null || payload.onHand() == null || payload.reserved() == null
				|| payload.available() == null || payload.version() == null || payload.at() == null) {
			throw new MalformedMessageException(
					message.describe() + " lacks one of productId, onHand, reserved, available, version, at");
		}
		return new StockChanged(payload.productId(), payload.onHand(), payload.reserved(), payload.available(),
				payload.version(), payload.at());
	}

}
