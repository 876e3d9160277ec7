package com.example.shop.product.grpc;

import java.math.BigDecimal;
import java.util.UUID;

import com.example.shop.proto.common.v1.Money;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProtoMappingTests {

	@ParameterizedTest
	@CsvSource({ "12.34, 12, 340000000", "0.00, 0, 0", "0.01, 0, 10000000", "999999.99, 999999, 990000000",
			"-1.50, -1, -500000000", "-0.25, 0, -250000000" })
	void moneyIsExactUnitsAndNanosWithTheSameSign(String amount, long units, int nanos) {
		Money money = ProtoMapping.toMoney(new BigDecimal(amount), "EUR");
		assertThat(money.getUnits()).isEqualTo(units);
		assertThat(money.getNanos()).isEqualTo(nanos);
		assertThat(money.getCurrencyCode()).isEqualTo("EUR");
		assertThat(ProtoMapping.fromMoney(money)).isEqualByComparingTo(amount);
	}

	@Test
	void pageTokenRoundTripsAndRejectsForeignTokens() {
		UUID id = UUID.randomUUID();
		assertThat(PageToken.parse(PageToken.after(id))).contains(id);
		assertThat(PageToken.parse("")).isEmpty();
		assertThat(PageToken.parse("%%%")).isEmpty();
		assertThat(PageToken.parse(java.util.Base64.getUrlEncoder().encodeToString(("v1:" + "x").getBytes())))
			.isEmpty();
	}

}
