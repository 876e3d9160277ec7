package com.example.shop.inventory.api;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

import io.swagger.v3.oas.annotations.media.Schema;

import com.example.shop.inventory.stock.StockLevels;

/**
 * Body of PUT /api/inventory/{productId}: {@code {"onHand": n}}. A BigDecimal, not an int, so that every
 * wrong number gets its own precise message instead of being silently truncated (1.5) or failing to parse
 * (a number beyond the range of int): negative, fractional and too large are told apart below.
 */
record OnHandRequest(
		@Schema(type = "integer", description = "Units on hand: a whole number from 0 to 1,000,000")
		@NotNull @DecimalMin("0") @DecimalMax("" + StockLevels.MAX_ON_HAND) @WholeNumber BigDecimal onHand) {

	int units() {
		return this.onHand.intValueExact();
	}

}
