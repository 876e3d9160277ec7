package com.example.shop.inventory.api;

import java.util.UUID;

import com.example.shop.inventory.stock.Stock;

/** A product's stock as the public API shows it (docs/api.md "Inventory"). */
public record StockResponse(UUID productId, int onHand, int reserved, int available) {

	static StockResponse of(Stock stock) {
		return new StockResponse(stock.productId(), stock.onHand(), stock.reserved(), stock.available());
	}

}
