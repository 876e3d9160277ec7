package com.example.shop.order;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of an order, priced from the catalog when the order was placed; never changes afterwards.
 *
 * @param unitPrice two decimals, in the order's currency
 * @param lineTotal unitPrice x quantity, two decimals
 */
public record OrderLine(UUID productId, String sku, String name, BigDecimal unitPrice, int quantity,
		BigDecimal lineTotal) {

	public OrderLine {
		Objects.requireNonNull(productId, "productId");
		Objects.requireNonNull(sku, "sku");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(unitPrice, "unitPrice");
		Objects.requireNonNull(lineTotal, "lineTotal");
		if (quantity < 1) {
			throw new IllegalArgumentException("quantity must be 1 or more, was " + quantity);
		}
	}

	/** A line priced at {@code unitPrice}: the total is computed here, never taken from a client. */
	public static OrderLine priced(UUID productId, String sku, String name, BigDecimal unitPrice, int quantity) {
		BigDecimal price = Money.twoDecimals(unitPrice);
		return new OrderLine(productId, sku, name, price, quantity,
				Money.twoDecimals(price.multiply(BigDecimal.valueOf(quantity))));
	}

}
