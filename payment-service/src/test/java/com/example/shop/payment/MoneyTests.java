package com.example.shop.payment;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoneyTests {

	@Test
	void amountIsKeptWithExactlyTwoDecimals() {
		assertThat(new Money(new BigDecimal("12.5"), "EUR").amount()).isEqualTo(new BigDecimal("12.50"));
		assertThat(new Money(new BigDecimal("7"), "USD").amount().toPlainString()).isEqualTo("7.00");
		assertThat(new Money(new BigDecimal("12.500"), "EUR")).isEqualTo(new Money(new BigDecimal("12.5"), "EUR"));
		assertThat(new Money(new BigDecimal("9999999999.99"), "EUR").amount()).isEqualByComparingTo("9999999999.99");
	}

	@Test
	void refusesWhatCannotBeStoredOrCharged() {
		for (String amount : new String[] { "0", "0.00", "-1.00", "0.001", "12.345", "10000000000.00" }) {
			assertThatThrownBy(() -> new Money(new BigDecimal(amount), "EUR")).as(amount)
				.isInstanceOf(InvalidPaymentRequestException.class)
				.hasMessageContaining("amount");
		}
		assertThatThrownBy(() -> new Money(null, "EUR")).isInstanceOf(InvalidPaymentRequestException.class);
	}

	@Test
	void currencyMustBeAKnownUpperCaseIsoCode() {
		for (String currency : new String[] { "eur", "XYZ", "EURO", "", "E1R" }) {
			assertThatThrownBy(() -> new Money(BigDecimal.TEN, currency)).as(currency)
				.isInstanceOf(InvalidPaymentRequestException.class)
				.hasMessageContaining("currency");
		}
		assertThatThrownBy(() -> new Money(BigDecimal.TEN, null)).isInstanceOf(InvalidPaymentRequestException.class);
	}

}
