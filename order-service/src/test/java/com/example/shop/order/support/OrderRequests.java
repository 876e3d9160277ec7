package com.example.shop.order.support;

import java.util.UUID;

/** JSON bodies of POST /api/orders for tests. */
public final class OrderRequests {

	/** The customer of {@link #order(Object...)}: send it as {@code Callers.customer(CUSTOMER)}, its token's subject. */
	public static final String CUSTOMER = "7d0c4a8e-9a57-4d0f-8c6c-1a115b0e8a53";

	private OrderRequests() {
	}

	/**
	 * An order of {@code items}, given as productId, quantity, productId, quantity...
	 * @param customerId the body's {@code customerId}, left out when null
	 */
	public static String order(String customerId, String token, Object... items) {
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < items.length; i += 2) {
			if (i > 0) {
				lines.append(',');
			}
			lines.append("{\"productId\":\"").append(items[i]).append("\",\"quantity\":").append(items[i + 1]).append('}');
		}
		String customer = (customerId != null) ? "\"customerId\":\"" + customerId + "\"," : "";
		return """
				{%s"customerEmail":"ada@example.com","items":[%s],"payment":{"token":"%s"}}"""
			.formatted(customer, lines, token);
	}

	public static String order(Object... items) {
		return order(CUSTOMER, "tok_ok", items);
	}

	public static String bookAndMug() {
		return order(TestCatalogServer.BOOK, 2, TestCatalogServer.MUG, 1);
	}

	public static String newCustomer() {
		return UUID.randomUUID().toString();
	}

}
