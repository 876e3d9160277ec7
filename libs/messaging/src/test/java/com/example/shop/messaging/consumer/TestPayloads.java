package com.example.shop.messaging.consumer;

import java.util.UUID;

import com.example.shop.proto.inventory.messages.v1.ReserveStock;
import com.example.shop.proto.inventory.messages.v1.ReservedLine;
import com.example.shop.proto.payment.messages.v1.AuthorizePayment;

/** The real contracts of proto/ that the consumer tests send, filled the same way by every test. */
final class TestPayloads {

	private TestPayloads() {
	}

	static String newOrder() {
		return UUID.randomUUID().toString();
	}

	static ReserveStock reserveStock(String order) {
		return ReserveStock.newBuilder()
			.setOrderId(order)
			.addLines(ReservedLine.newBuilder().setProductId("p-1").setQuantity(2))
			.build();
	}

	static AuthorizePayment authorizePayment(String order) {
		return AuthorizePayment.newBuilder()
			.setOrderId(order)
			.setCustomerId("customer-1")
			.setAmount("25.90")
			.setCurrency("EUR")
			.setToken("tok_ok")
			.build();
	}

}
