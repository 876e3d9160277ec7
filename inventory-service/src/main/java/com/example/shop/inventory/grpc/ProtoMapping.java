package com.example.shop.inventory.grpc;

import java.time.Instant;

import com.example.shop.inventory.stock.StockChanged;
import com.google.protobuf.Timestamp;

/** Stock records to protobuf messages. */
final class ProtoMapping {

	private ProtoMapping() {
	}

	static com.example.shop.proto.inventory.v1.StockChanged toProto(StockChanged change) {
		return com.example.shop.proto.inventory.v1.StockChanged.newBuilder()
			.setProductId(change.productId().toString())
			.setOnHand(change.onHand())
			.setReserved(change.reserved())
			.setAvailable(change.available())
			.setChangedAt(toTimestamp(change.at()))
			.build();
	}

	static Timestamp toTimestamp(Instant instant) {
		return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
	}

}
