package com.example.shop.storefront.cart;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.example.shop.storefront.shop.Money;

/**
 * What a shopper is about to buy: kept in their HTTP session (so in Redis: it survives a reload, a restart and the
 * other replica). Immutable; each change gives a new cart that {@link CartStore} saves. The prices shown are the
 * catalog's when the item was added; the order is always priced by the catalog when it is placed.
 */
public record Cart(List<Line> lines) implements Serializable {

	/** Most units of one product in a cart (the order API's own limit is higher; a shop sets its own). */
	public static final int MAX_QUANTITY = 20;

	public record Line(UUID productId, String name, Money unitPrice, int quantity) implements Serializable {

		public Money total() {
			return unitPrice.times(quantity);
		}

	}

	public Cart {
		lines = List.copyOf(lines);
	}

	public static Cart empty() {
		return new Cart(List.of());
	}

	public boolean isEmpty() {
		return lines.isEmpty();
	}

	public int count() {
		return lines.stream().mapToInt(Line::quantity).sum();
	}

	public Optional<Money> total() {
		return lines.stream().map(Line::total).reduce(Money::plus);
	}

	/**
	 * Whether a product at this price may join the cart: one order is priced in one currency (the API refuses mixed
	 * ones), so a cart holds one currency too.
	 */
	public boolean accepts(Money unitPrice) {
		return lines.isEmpty() || lines.getFirst().unitPrice().currency().equals(unitPrice.currency());
	}

	/** The currency of the cart's prices, or null while it is empty. */
	public String currency() {
		return lines.isEmpty() ? null : lines.getFirst().unitPrice().currency();
	}

	/** The cart with {@code quantity} more of the product (at most {@link #MAX_QUANTITY}). */
	public Cart add(UUID productId, String name, Money unitPrice, int quantity) {
		int already = lines.stream().filter(line -> line.productId().equals(productId)).mapToInt(Line::quantity).sum();
		return with(new Line(productId, name, unitPrice, already + quantity));
	}

	/** The cart with the product's quantity set; 0 removes it. */
	public Cart set(UUID productId, int quantity) {
		return lines.stream()
			.filter(line -> line.productId().equals(productId))
			.findFirst()
			.map(line -> with(new Line(productId, line.name(), line.unitPrice(), quantity)))
			.orElse(this);
	}

	private Cart with(Line changed) {
		List<Line> next = new ArrayList<>();
		boolean placed = false;
		int quantity = Math.min(changed.quantity(), MAX_QUANTITY);
		for (Line line : lines) {
			if (line.productId().equals(changed.productId())) {
				placed = true;
				if (quantity > 0) {
					next.add(new Line(line.productId(), line.name(), line.unitPrice(), quantity));
				}
			}
			else {
				next.add(line);
			}
		}
		if (!placed && quantity > 0) {
			next.add(new Line(changed.productId(), changed.name(), changed.unitPrice(), quantity));
		}
		return new Cart(next);
	}

}
