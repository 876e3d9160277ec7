package com.example.shop.payment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * An amount with exactly two decimals in an ISO-4217 currency, as stored (NUMERIC(12,2) + CHAR(3)).
 * Construction refuses anything else with {@link InvalidPaymentRequestException}.
 */
public record Money(BigDecimal amount, String currency) {

	/** NUMERIC(12,2) holds at most ten digits before the point. */
	private static final BigDecimal MAX = new BigDecimal("9999999999.99");

	public Money {
		if (amount == null || amount.signum() <= 0 || amount.compareTo(MAX) > 0) {
			throw new InvalidPaymentRequestException("amount must be between 0.01 and " + MAX + " but was " + amount);
		}
		try {
			amount = amount.setScale(2, RoundingMode.UNNECESSARY);
		}
		catch (ArithmeticException ex) {
			throw new InvalidPaymentRequestException("amount must have at most two decimals but was " + amount);
		}
		if (currency == null || !currency.matches("[A-Z]{3}") || !isKnown(currency)) {
			throw new InvalidPaymentRequestException(
					"currency must be an ISO-4217 code such as EUR but was " + currency);
		}
	}

	private static boolean isKnown(String code) {
		try {
			Currency.getInstance(code);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return this.amount.toPlainString() + " " + this.currency;
	}

}
