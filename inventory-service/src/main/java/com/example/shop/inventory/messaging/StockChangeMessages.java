package com.example.shop.inventory.messaging;

import com.example.shop.inventory.stock.StockChanged;
import com.example.shop.messaging.envelope.MalformedMessageException;
import com.example.shop.messaging.envelope.MessageContract;
import com.example.shop.messaging.envelope.MessageEnvelope;
import com.example.shop.messaging.envelope.PayloadFields;

/**
 * A stock change as proto/'s {@code shop.inventory.messages.v1.StockChanged} and back: a product's whole stock
 * after the change, so the newest change of a product is all a consumer needs.
 */
final class StockChangeMessages {

	private static final MessageContract<com.example.shop.proto.inventory.messages.v1.StockChanged> CONTRACT = MessageContract
		.of(com.example.shop.proto.inventory.messages.v1.StockChanged.class);

	private StockChangeMessages() {
	}

	static com.example.shop.proto.inventory.messages.v1.StockChanged toMessage(StockChanged change) {
		return com.example.shop.proto.inventory.messages.v1.StockChanged.newBuilder()
			.setProductId(change.productId().toString())
			.setOnHand(change.onHand())
			.setReserved(change.reserved())
			.setAvailable(change.available())
			.setVersion(change.version())
			.setAt(PayloadFields.timestamp(change.at()))
			.build();
	}

	/**
	 * The change in a message of {@code inventory.stock-changes}.
	 * @throws MalformedMessageException when it is not a whole StockChanged v1
	 */
	static StockChanged read(MessageEnvelope envelope) {
		var message = CONTRACT.read(envelope);
		if (!message.hasOnHand() || !message.hasReserved() || !message.hasAvailable() || !message.hasVersion()
				|| !message.hasAt()) {
			throw new MalformedMessageException(
					envelope.describe() + " lacks one of onHand, reserved, available, version, at");
		}
		return new StockChanged(PayloadFields.uuid(message.getProductId(), "productId"), message.getOnHand(),
				message.getReserved(), message.getAvailable(), message.getVersion(), PayloadFields.instant(message.getAt()));
	}

}
