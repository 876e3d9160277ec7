package com.example.shop.product.grpc;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

import com.example.shop.proto.catalog.v1.Product;
import com.example.shop.proto.common.v1.Money;
import com.google.protobuf.Timestamp;

/** Catalog records to protobuf messages. Exact: money as units + nanos, never through a double. */
final class ProtoMapping {

	private ProtoMapping() {
	}

	static Product toProto(com.example.shop.product.catalog.Product product) {
		return Product.newBuilder()
			.setId(product.id().toString())
			.setSku(product.sku())
			.setName(product.name())
			.setDescription(product.description())
			.setCategory(product.category())
			.setPrice(toMoney(product.price(), product.currency()))
			.setAvailable(product.available())
			.setCreateTime(toTimestamp(product.createdAt()))
			.setUpdateTime(toTimestamp(product.updatedAt()))
			.build();
	}

	/** 12.34 EUR -> units 12, nanos 340000000; -1.50 -> units -1, nanos -500000000 (same sign). */
	static Money toMoney(BigDecimal amount, String currency) {
		BigDecimal units = amount.setScale(0, RoundingMode.DOWN);
		int nanos = amount.subtract(units).movePointRight(9).intValueExact();
		return Money.newBuilder().setCurrencyCode(currency).setUnits(units.longValueExact()).setNanos(nanos).build();
	}

	static BigDecimal fromMoney(Money money) {
		return BigDecimal.valueOf(money.getUnits()).add(BigDecimal.valueOf(money.getNanos(), 9));
	}

	static Timestamp toTimestamp(Instant instant) {
		return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
	}

}
