package com.example.shop.order;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Amounts are BigDecimal with exactly two decimals, as stored (NUMERIC(12,2)) and shown (docs/api.md). */
public final class Money {

	/** The largest amount NUMERIC(12,2) holds. */
	public static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999.99");

	private Money() {
	}

	/**
	 * @throws ArithmeticException when the amount has more than two decimals: a price is never rounded
	 */
	public static BigDecimal twoDecimals(BigDecimal amount) {
		return amount.setScale(2, RoundingMode.UNNECESSARY);
	}

}
