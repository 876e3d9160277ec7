package com.example.shop.storefront;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Bodies of the public API (docs/api.md) for the stand-in gateway to answer with, shaped as the services send them. */
public final class ApiJson {

	public static final UUID MUG = UUID.fromString("00000000-0000-4000-8000-000000000001");

	public static final UUID LAMP = UUID.fromString("00000000-0000-4000-8000-000000000002");

	private ApiJson() {
	}

	public static String product(UUID id, String name, String price, boolean available) {
		return product(id, name, price, "EUR", available);
	}

	public static String product(UUID id, String name, String price, String currency, boolean available) {
		return """
				{"id":"%s","sku":"SKU-%s","name":"%s","description":"%s, made to last","category":"kitchen",\
				"price":%s,"currency":"%s","available":%s,\
				"createdAt":"2026-11-30T20:31:02.114Z","updatedAt":"2026-11-30T20:31:02.114Z"}"""
			.formatted(id, id.toString().substring(32), name, name, price, currency, available);
	}

	public static String mug() {
		return product(MUG, "Enamel Mug", "12.50", true);
	}

	public static String lamp() {
		return product(LAMP, "Camp Lamp", "30.00", true);
	}

	/** A page of the API's lists. */
	public static String page(List<String> content, int number, int size, long totalElements) {
		int totalPages = (int) ((totalElements + size - 1) / size);
		return """
				{"content":[%s],"page":{"number":%d,"size":%d,"totalElements":%d,"totalPages":%d}}"""
			.formatted(String.join(",", content), number, size, totalElements, totalPages);
	}

	public static String stock(UUID productId, int onHand, int reserved) {
		return """
				{"productId":"%s","onHand":%d,"reserved":%d,"available":%d}"""
			.formatted(productId, onHand, reserved, onHand - reserved);
	}

	/** An order of {@code quantity} mugs at 12.50. */
	public static String order(UUID id, String status, String cancellationReason, int quantity) {
		String total = "%d.%02d".formatted(1250 * quantity / 100, 1250 * quantity % 100);
		return """
				{"id":"%s","customerId":"sub-alice","customerEmail":"alice@example.com","status":"%s",\
				"cancellationReason":%s,"items":[{"productId":"%s","sku":"SKU-1","name":"Enamel Mug",\
				"unitPrice":12.50,"quantity":%d,"lineTotal":%s}],"total":%s,"currency":"EUR",\
				"createdAt":"2026-12-07T09:15:00Z","updatedAt":"2026-12-07T09:15:02Z"}"""
			.formatted(id, status, (cancellationReason == null) ? "null" : "\"" + cancellationReason + "\"", MUG,
					quantity, total, total);
	}

	public static String deadLetter(UUID id, String type, String error) {
		return """
				{"id":"%s","source":"orders.events","messageId":"m-%s","type":"%s","error":"%s","attempts":3,\
				"failedAt":"2026-12-07T08:00:00Z","payload":"{\\"orderId\\":\\"x\\"}","status":"PARKED"}"""
			.formatted(id, id.toString().substring(0, 8), type, error);
	}

	public static String list(String... items) {
		return Arrays.stream(items).collect(Collectors.joining(",", "[", "]"));
	}

}
