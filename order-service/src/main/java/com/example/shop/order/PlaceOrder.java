package com.example.shop.order;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A validated request to place an order: who, what (one line per product), and the payment token.
 *
 * @param items in the client's order; their index is how problems name them ({@code items[2]})
 */
public record PlaceOrder(UUID customerId, String customerEmail, List<Item> items, String paymentToken) {

	public PlaceOrder {
		Objects.requireNonNull(customerId, "customerId");
		Objects.requireNonNull(customerEmail, "customerEmail");
		Objects.requireNonNull(paymentToken, "paymentToken");
		items = List.copyOf(items);
	}

	public record Item(UUID productId, int quantity) {
	}

	/**
	 * The request in one unambiguous text (every variable-length value is length-prefixed): equal requests,
	 * however they were formatted as JSON, have equal canonical forms. The Idempotency-Key hash is made of it.
	 */
	public String canonical() {
		StringBuilder text = new StringBuilder("place-order/v1\n");
		text.append(this.customerId).append('\n');
		text.append(this.customerEmail.length()).append(':').append(this.customerEmail).append('\n');
		for (Item item : this.items) {
			text.append(item.productId()).append('x').append(item.quantity()).append('\n');
		}
		text.append(this.paymentToken.length()).append(':').append(this.paymentToken);
		return text.toString();
	}

	@Override
	public String toString() {
		// The payment token is a credential: never in a log line.
		return "PlaceOrder[customerId=" + this.customerId + ", items=" + this.items + "]";
	}

}
