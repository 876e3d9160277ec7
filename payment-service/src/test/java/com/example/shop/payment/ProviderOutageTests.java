package com.example.shop.payment;

import java.math.BigDecimal;
import java.util.UUID;

import com.example.shop.payment.AuthorizationOutcome.ProviderUnavailable;
import com.example.shop.payment.provider.SimulatorRecords;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static org.assertj.core.api.Assertions.assertThat;

/** A provider that fails every call ({@code failure-rate 1.0}): unavailable, retryable, nothing charged. */
@SpringBootTest(properties = "shop.payment.simulator.failure-rate=1.0")
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class ProviderOutageTests {

	/** The order's customer, as order-service sends it with the authorization. */
	static final UUID CUSTOMER = UUID.randomUUID();

	@Autowired
	Payments payments;

	@Autowired
	JdbcClient jdbc;

	@Test
	void everyAuthorizationIsUnavailableAndThePaymentStaysPending() {
		SimulatorRecords simulator = new SimulatorRecords(this.jdbc);
		UUID orderId = UUID.randomUUID();

		AuthorizationOutcome first = this.payments.authorize(orderId, CUSTOMER, new BigDecimal("5.00"), "EUR", TOKEN_OK);
		AuthorizationOutcome retry = this.payments.authorize(orderId, CUSTOMER, new BigDecimal("5.00"), "EUR", TOKEN_OK);

		assertThat(first).isInstanceOfSatisfying(ProviderUnavailable.class,
				unavailable -> assertThat(unavailable.reason()).isEqualTo("provider_error"));
		assertThat(retry).isInstanceOf(ProviderUnavailable.class);
		UUID paymentId = ((ProviderUnavailable) first).paymentId();
		assertThat(((ProviderUnavailable) retry).paymentId()).isEqualTo(paymentId);
		assertThat(this.payments.findByOrderId(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.PENDING);
		assertThat(simulator.paymentRows(orderId)).isEqualTo(1);
		assertThat(simulator.authorizeCalls(paymentId)).isEqualTo(2);
		assertThat(simulator.charges(paymentId)).isZero();
	}

	@Test
	void voidOfThePendingPaymentIsUnavailableTooAndChangesNothing() {
		UUID orderId = UUID.randomUUID();
		this.payments.authorize(orderId, CUSTOMER, new BigDecimal("5.00"), "EUR", TOKEN_OK);

		assertThat(this.payments.voidAuthorization(orderId)).isInstanceOf(StepOutcome.ProviderUnavailable.class);
		assertThat(this.payments.findByOrderId(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.PENDING);
	}

}
