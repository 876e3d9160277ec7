package com.example.shop.payment;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.example.shop.payment.AuthorizationOutcome.Authorized;
import com.example.shop.payment.AuthorizationOutcome.Declined;
import com.example.shop.payment.StepOutcome.Completed;
import com.example.shop.payment.StepOutcome.Refused;
import com.example.shop.payment.provider.SimulatorRecords;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_DECLINED;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capture, void and refund through {@link Payments}: the legal transitions, their repetition (success,
 * nothing changes, no provider call), refusal from every wrong state, and voids that overtake the
 * authorization.
 */
@SpringBootTest(properties = "shop.payment.provider.timeout=500ms")
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class PaymentStepsTests {

	static final BigDecimal AMOUNT = new BigDecimal("19.99");

	/** The order's customer, as order-service sends it with the authorization. */
	static final UUID CUSTOMER = UUID.randomUUID();

	@Autowired
	Payments payments;

	@Autowired
	JdbcClient jdbc;

	SimulatorRecords simulator;

	@BeforeEach
	void setUp() {
		this.simulator = new SimulatorRecords(this.jdbc);
	}

	@Test
	void captureMovesAnAuthorizedPaymentToCapturedOnce() {
		Payment authorized = authorized();
		StepOutcome first = this.payments.capture(authorized.orderId());
		StepOutcome again = this.payments.capture(authorized.orderId());

		assertThat(first).isInstanceOfSatisfying(Completed.class, completed -> {
			assertThat(completed.repeated()).isFalse();
			assertThat(completed.payment().status()).isEqualTo(PaymentStatus.CAPTURED);
			assertThat(completed.payment().capturedAt()).isNotNull();
		});
		assertThat(again).isInstanceOfSatisfying(Completed.class, completed -> {
			assertThat(completed.repeated()).isTrue();
			assertThat(completed.payment().version()).isEqualTo(((Completed) first).payment().version());
		});
		assertThat(this.simulator.calls(authorized.id().toString(), "CAPTURE")).isEqualTo(1);
		assertThat(this.simulator.status(authorized.id())).isEqualTo("CAPTURED");
	}

	@Test
	void voidMovesAnAuthorizedPaymentToVoidedOnce() {
		Payment authorized = authorized();
		StepOutcome first = this.payments.voidAuthorization(authorized.orderId());
		StepOutcome again = this.payments.voidAuthorization(authorized.orderId());

		assertThat(first).isInstanceOfSatisfying(Completed.class, completed -> {
			assertThat(completed.repeated()).isFalse();
			assertThat(completed.payment().status()).isEqualTo(PaymentStatus.VOIDED);
		});
		assertThat(again).isInstanceOfSatisfying(Completed.class,
				completed -> assertThat(completed.repeated()).isTrue());
		assertThat(this.simulator.calls(authorized.id().toString(), "VOID")).isEqualTo(1);
		assertThat(this.simulator.status(authorized.id())).isEqualTo("VOIDED");
	}

	@Test
	void refundMovesACapturedPaymentToRefundedOnce() {
		Payment authorized = authorized();
		this.payments.capture(authorized.orderId());
		StepOutcome first = this.payments.refund(authorized.orderId());
		StepOutcome again = this.payments.refund(authorized.orderId());

		assertThat(first).isInstanceOfSatisfying(Completed.class, completed -> {
			assertThat(completed.repeated()).isFalse();
			assertThat(completed.payment().status()).isEqualTo(PaymentStatus.REFUNDED);
			assertThat(completed.payment().refundedAt()).isNotNull();
		});
		assertThat(again).isInstanceOfSatisfying(Completed.class,
				completed -> assertThat(completed.repeated()).isTrue());
		// A capture redelivered after the refund is a repeat, not a new capture.
		assertThat(this.payments.capture(authorized.orderId())).isInstanceOfSatisfying(Completed.class,
				completed -> assertThat(completed.repeated()).isTrue());
		assertThat(this.simulator.calls(authorized.id().toString(), "REFUND")).isEqualTo(1);
		assertThat(this.simulator.calls(authorized.id().toString(), "CAPTURE")).isEqualTo(1);
		assertThat(this.simulator.status(authorized.id())).isEqualTo("REFUNDED");
	}

	@Test
	void stepsFromTheWrongStateAreRefusedWithoutAskingTheProvider() {
		Payment declined = ((Declined) this.payments.authorize(UUID.randomUUID(), CUSTOMER, AMOUNT, "EUR", TOKEN_DECLINED))
			.payment();
		assertRefused(this.payments.capture(declined.orderId()), PaymentStatus.DECLINED);
		assertRefused(this.payments.refund(declined.orderId()), PaymentStatus.DECLINED);

		Payment authorized = authorized();
		assertRefused(this.payments.refund(authorized.orderId()), PaymentStatus.AUTHORIZED);

		Payment captured = authorized();
		this.payments.capture(captured.orderId());
		assertRefused(this.payments.voidAuthorization(captured.orderId()), PaymentStatus.CAPTURED);

		Payment voided = authorized();
		this.payments.voidAuthorization(voided.orderId());
		assertRefused(this.payments.capture(voided.orderId()), PaymentStatus.VOIDED);
		assertRefused(this.payments.refund(voided.orderId()), PaymentStatus.VOIDED);

		for (Payment payment : List.of(declined, authorized, voided)) {
			assertThat(this.simulator.calls(payment.id().toString(), "CAPTURE")).isZero();
			assertThat(this.simulator.calls(payment.id().toString(), "REFUND")).isZero();
		}
		assertThat(this.simulator.calls(captured.id().toString(), "VOID")).isZero();
		assertThat(this.payments.findByOrderId(captured.orderId()).orElseThrow().status())
			.isEqualTo(PaymentStatus.CAPTURED);
	}

	@Test
	void captureOrRefundOfAnOrderWithoutPaymentIsRefused() {
		UUID orderId = UUID.randomUUID();
		assertThat(this.payments.capture(orderId)).isInstanceOfSatisfying(Refused.class, refused -> {
			assertThat(refused.status()).isNull();
			assertThat(refused.detail()).contains(orderId.toString()).contains("no payment");
		});
		assertThat(this.payments.refund(orderId)).isInstanceOf(Refused.class);
		assertThat(this.simulator.paymentRows(orderId)).isZero();
	}

	@Test
	void voidOfADeclinedPaymentHasNothingToDo() {
		Payment declined = ((Declined) this.payments.authorize(UUID.randomUUID(), CUSTOMER, AMOUNT, "EUR", TOKEN_DECLINED))
			.payment();

		assertThat(this.payments.voidAuthorization(declined.orderId())).isInstanceOfSatisfying(Completed.class,
				completed -> {
					assertThat(completed.repeated()).isTrue();
					assertThat(completed.payment().status()).isEqualTo(PaymentStatus.DECLINED);
				});
		assertThat(this.simulator.calls(declined.id().toString(), "VOID")).isZero();
	}

	@Test
	void voidOfAPendingAuthorizationVoidsItForGood() {
		UUID orderId = UUID.randomUUID();
		// The provider never answers: the payment stays PENDING, the saga times out and compensates.
		assertThat(this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_TIMEOUT))
			.isInstanceOf(AuthorizationOutcome.ProviderUnavailable.class);

		StepOutcome voided = this.payments.voidAuthorization(orderId);

		assertThat(voided).isInstanceOfSatisfying(Completed.class, completed -> {
			assertThat(completed.repeated()).isFalse();
			assertThat(completed.payment().status()).isEqualTo(PaymentStatus.VOIDED);
		});
		UUID paymentId = ((Completed) voided).payment().id();
		// A redelivered authorization afterwards is declined, whatever the token, and charges nothing.
		assertThat(this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK)).isInstanceOfSatisfying(Declined.class,
				declined -> assertThat(declined.reason()).isEqualTo(AuthorizationOutcome.AUTHORIZATION_VOIDED));
		assertThat(this.simulator.charges(paymentId)).isZero();
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
	}

	@Test
	void voidThatOvertakesTheAuthorizationKeepsTheLateAuthorizationFromCharging() {
		UUID orderId = UUID.randomUUID();

		StepOutcome voided = this.payments.voidAuthorization(orderId);

		assertThat(voided).isInstanceOfSatisfying(Completed.class, completed -> {
			assertThat(completed.repeated()).isFalse();
			assertThat(completed.payment().status()).isEqualTo(PaymentStatus.VOIDED);
			assertThat(completed.payment().amount()).isNull();
		});
		assertThat(this.payments.voidAuthorization(orderId)).isInstanceOfSatisfying(Completed.class,
				completed -> assertThat(completed.repeated()).isTrue());

		AuthorizationOutcome late = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);

		assertThat(late).isInstanceOfSatisfying(Declined.class,
				declined -> assertThat(declined.reason()).isEqualTo(AuthorizationOutcome.AUTHORIZATION_VOIDED));
		UUID paymentId = ((Completed) voided).payment().id();
		assertThat(this.simulator.authorizeCalls(paymentId)).isZero();
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
	}

	@Test
	void concurrentCapturesOfOnePaymentCaptureItOnce() throws Exception {
		Payment authorized = authorized();
		int callers = 10;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<StepOutcome>> answers = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			for (int i = 0; i < callers; i++) {
				answers.add(pool.submit(() -> {
					start.await();
					return this.payments.capture(authorized.orderId());
				}));
			}
			start.countDown();
			List<Completed> outcomes = new ArrayList<>();
			for (Future<StepOutcome> answer : answers) {
				assertThat(answer.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(Completed.class, outcomes::add);
			}
			assertThat(outcomes.stream().filter(completed -> !completed.repeated())).hasSize(1);
			assertThat(outcomes).allSatisfy(
					completed -> assertThat(completed.payment().status()).isEqualTo(PaymentStatus.CAPTURED));
			Payment stored = this.payments.findByOrderId(authorized.orderId()).orElseThrow();
			// authorized (1), captured (2): one capture recorded
			assertThat(stored.version()).isEqualTo(2);
			assertThat(this.simulator.status(authorized.id())).isEqualTo("CAPTURED");
		}
		finally {
			pool.shutdownNow();
		}
	}

	private Payment authorized() {
		return ((Authorized) this.payments.authorize(UUID.randomUUID(), CUSTOMER, AMOUNT, "EUR", TOKEN_OK)).payment();
	}

	private static void assertRefused(StepOutcome outcome, PaymentStatus status) {
		assertThat(outcome).isInstanceOfSatisfying(Refused.class, refused -> {
			assertThat(refused.status()).isEqualTo(status);
			assertThat(refused.detail()).contains(status.name());
		});
	}

}
