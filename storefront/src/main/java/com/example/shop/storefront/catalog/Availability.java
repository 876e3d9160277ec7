package com.example.shop.storefront.catalog;

import java.util.Optional;

import com.example.shop.storefront.shop.Stock;

/** How many of a product can be ordered, in the words the product page uses. */
public record Availability(Integer available) {

	/** A few left: said so, so that shoppers are not surprised at checkout. */
	static final int FEW = 5;

	public static Availability of(int available) {
		return new Availability(available);
	}

	public static Availability of(Optional<Stock> stock) {
		return new Availability(stock.map(Stock::available).orElse(null));
	}

	public boolean known() {
		return available != null;
	}

	public boolean inStock() {
		return available != null && available > 0;
	}

	public String text() {
		if (available == null) {
			return "Availability unknown";
		}
		if (available <= 0) {
			return "Out of stock";
		}
		if (available <= FEW) {
			return "Only " + available + " left";
		}
		return "In stock (" + available + " available)";
	}

}
