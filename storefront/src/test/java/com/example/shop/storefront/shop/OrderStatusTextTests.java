package com.example.shop.storefront.shop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** An order's status (docs/api.md "Status") in words a shopper understands; which statuses are final. No Spring. */
class OrderStatusTextTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			PENDING          | Received: we are setting your items aside.
			AWAITING_PAYMENT | Your items are set aside; we are asking your bank for the payment.
			CONFIRMING       | Payment approved; we are confirming your order.
			COMPENSATING     | We could not complete your order and are undoing it.
			CONFIRMED        | Confirmed: your order is on its way to the warehouse.
			FAILED           | Something went wrong on our side; our staff have been told and will contact you.
			""")
	void everyStatusInWords(String status, String words) {
		assertThat(OrderStatusText.of(status, null)).isEqualTo(words);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			OUT_OF_STOCK     | Cancelled: we did not have enough in stock. Nothing was charged.
			PAYMENT_DECLINED | Cancelled: your bank declined the payment. Nothing was charged.
			TIMEOUT          | Cancelled: the payment took too long to be answered. Nothing was charged.
			CUSTOMER_REQUEST | Cancelled: you cancelled it. Nothing was charged.
			REFUNDED         | Cancelled: you cancelled it and your payment was refunded.
			""")
	void aCancellationSaysWhy(String reason, String words) {
		assertThat(OrderStatusText.of("CANCELLED", reason)).isEqualTo(words);
	}

	@Test
	void aCancellationWithoutAReasonStillReadsAsASentence() {
		assertThat(OrderStatusText.of("CANCELLED", null)).isEqualTo("Cancelled: the order was cancelled.");
	}

	@Test
	void aReasonAddedToTheApiLaterIsShownAsItIs() {
		assertThat(OrderStatusText.of("CANCELLED", "FRAUD_SUSPECTED"))
			.isEqualTo("Cancelled: the order was cancelled (FRAUD_SUSPECTED).");
	}

	@Test
	void aFailedOrderWhoseCompensationFailedDoesNotBlameTheShopper() {
		assertThat(OrderStatusText.of("FAILED", "PAYMENT_DECLINED")).startsWith("Something went wrong on our side");
	}

	@Test
	void aStatusAddedToTheApiLaterIsShownAsItIs() {
		assertThat(OrderStatusText.of("ON_HOLD", null)).isEqualTo("ON_HOLD");
	}

	@ParameterizedTest
	@ValueSource(strings = { "CONFIRMED", "CANCELLED", "FAILED" })
	void theTerminalStatusesAreFinal(String status) {
		assertThat(OrderStatusText.isFinal(status)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "PENDING", "AWAITING_PAYMENT", "CONFIRMING", "COMPENSATING", "ON_HOLD", "" })
	void everyOtherStatusIsNotFinal(String status) {
		assertThat(OrderStatusText.isFinal(status)).isFalse();
		assertThat(OrderStatusText.isFinal(null)).isFalse();
	}

}
