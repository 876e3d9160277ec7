package com.example.shop.storefront.shop;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/** An amount in a currency, as the API gives it (a number with two decimals plus an ISO-4217 code). */
public record Money(BigDecimal amount, String currency) implements Serializable {

	public Money {
		amount = amount.setScale(2, RoundingMode.HALF_EVEN);
	}

	public Money times(int quantity) {
		return new Money(amount.multiply(BigDecimal.valueOf(quantity)), currency);
	}

	public Money plus(Money other) {
		if (!currency.equals(other.currency)) {
			throw new IllegalArgumentException("Cannot add " + other.currency + " to " + currency);
		}
		return new Money(amount.add(other.amount), currency);
	}

	/** "€12.50": what a shopper reads. */
	@Override
	public String toString() {
		NumberFormat format = NumberFormat.getCurrencyInstance(Locale.UK);
		format.setCurrency(Currency.getInstance(currency));
		return format.format(amount);
	}

}
