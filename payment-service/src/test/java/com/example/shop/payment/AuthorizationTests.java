package com.example.shop.payment;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
import com.example.shop.payment.AuthorizationOutcome.ProviderUnavailable;
import com.example.shop.payment.provider.AuthorizationResponse;
import com.example.shop.payment.provider.PaymentProvider;
import com.example.shop.payment.provider.SimulatorRecords;
import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_DECLINED;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_FLAKY;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Payments#authorize} against the simulated provider and a PostgreSQL database of this class's own:
 * every test token, idempotency by order (sequential, after a crash, and 20 callers at once), and input
 * that can never succeed.
 */
@SpringBootTest(properties = "shop.payment.provider.timeout=1s")
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class AuthorizationTests {

	static final BigDecimal AMOUNT = new BigDecimal("42.90");

	/** The order's customer, as order-service sends it with the authorization. */
	static final UUID CUSTOMER = UUID.randomUUID();

	static final Duration TIMEOUT = Duration.ofSeconds(1);

	@Autowired
	Payments payments;

	@Autowired
	PaymentRepository repository;

	@Autowired
	PaymentProvider provider;

	@Autowired
	MeterRegistry meters;

	@Autowired
	JdbcClient jdbc;

	SimulatorRecords simulator;

	@BeforeEach
	void setUp() {
		this.simulator = new SimulatorRecords(this.jdbc);
	}

	@Test
	void tokOkIsAuthorizedWithOneCharge() {
		UUID orderId = UUID.randomUUID();
		AuthorizationOutcome outcome = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);

		assertThat(outcome).isInstanceOf(Authorized.class);
		Payment payment = ((Authorized) outcome).payment();
		assertThat(payment.orderId()).isEqualTo(orderId);
		assertThat(payment.status()).isEqualTo(PaymentStatus.AUTHORIZED);
		assertThat(payment.amount()).isEqualTo(new Money(new BigDecimal("42.90"), "EUR"));
		assertThat(payment.providerReference()).startsWith("sim_");
		assertThat(payment.authorizedAt()).isNotNull();

		Payment stored = this.repository.findByOrderId(orderId).orElseThrow();
		assertThat(stored.status()).isEqualTo(PaymentStatus.AUTHORIZED);
		assertThat(stored.providerReference()).isEqualTo(payment.providerReference());
		assertThat(stored.version()).isEqualTo(1);
		assertThat(this.simulator.authorizeCalls(payment.id())).isEqualTo(1);
		assertThat(this.simulator.charges(payment.id())).isEqualTo(1);
	}

	@Test
	void tokDeclinedIsDeclinedAsCardDeclined() {
		UUID orderId = UUID.randomUUID();
		AuthorizationOutcome outcome = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_DECLINED);

		assertThat(outcome).isInstanceOfSatisfying(Declined.class, declined -> {
			assertThat(declined.reason()).isEqualTo("card_declined");
			assertThat(declined.payment().status()).isEqualTo(PaymentStatus.DECLINED);
			assertThat(declined.payment().declineReason()).isEqualTo("card_declined");
			assertThat(this.simulator.charges(declined.payment().id())).isZero();
		});
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().status()).isEqualTo(PaymentStatus.DECLINED);
	}

	@Test
	void unknownTokenIsDeclinedAsInvalidToken() {
		UUID orderId = UUID.randomUUID();
		AuthorizationOutcome outcome = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", "tok_who_knows");

		assertThat(outcome).isInstanceOfSatisfying(Declined.class,
				declined -> assertThat(declined.reason()).isEqualTo("invalid_token"));
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().declineReason()).isEqualTo("invalid_token");
	}

	@Test
	void tokTimeoutIsUnavailableAtTheDeadlineAndStaysPending() {
		UUID orderId = UUID.randomUUID();
		long start = System.nanoTime();
		AuthorizationOutcome outcome = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_TIMEOUT);
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(outcome).isInstanceOfSatisfying(ProviderUnavailable.class,
				unavailable -> assertThat(unavailable.reason()).isEqualTo("provider_timeout"));
		// It waited for the provider (which never answers) until the deadline, and not much longer.
		assertThat(took).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT.plusMillis(1500));
		Payment payment = this.repository.findByOrderId(orderId).orElseThrow();
		assertThat(payment.status()).isEqualTo(PaymentStatus.PENDING);
		assertThat(this.simulator.charges(payment.id())).isZero();
	}

	@Test
	void tokFlakyIsAuthorizedOnTheThirdCallWithOnePaymentAndOneCharge() {
		UUID orderId = UUID.randomUUID();
		AuthorizationOutcome first = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_FLAKY);
		AuthorizationOutcome second = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_FLAKY);
		AuthorizationOutcome third = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_FLAKY);

		assertThat(first).isInstanceOfSatisfying(ProviderUnavailable.class,
				unavailable -> assertThat(unavailable.reason()).isEqualTo("provider_error"));
		assertThat(second).isInstanceOf(ProviderUnavailable.class);
		assertThat(third).isInstanceOf(Authorized.class);
		UUID paymentId = ((Authorized) third).payment().id();
		assertThat(((ProviderUnavailable) first).paymentId()).isEqualTo(paymentId);
		assertThat(((ProviderUnavailable) second).paymentId()).isEqualTo(paymentId);
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
		assertThat(this.simulator.authorizeCalls(paymentId)).isEqualTo(3);
		assertThat(this.simulator.charges(paymentId)).isEqualTo(1);
	}

	@Test
	void authorizingTwiceAnswersFromTheDatabaseWithoutCallingTheProviderAgain() {
		UUID orderId = UUID.randomUUID();
		Authorized first = (Authorized) this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);
		AuthorizationOutcome again = this.payments.authorize(orderId, CUSTOMER, new BigDecimal("42.9"), "EUR", TOKEN_OK);

		assertThat(again).isInstanceOfSatisfying(Authorized.class, authorized -> {
			assertThat(authorized.payment().id()).isEqualTo(first.payment().id());
			assertThat(authorized.payment().providerReference()).isEqualTo(first.payment().providerReference());
		});
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
		assertThat(this.simulator.authorizeCalls(first.payment().id())).isEqualTo(1);
		assertThat(this.simulator.charges(first.payment().id())).isEqualTo(1);
	}

	@Test
	void aDeclineIsFinalAndRepeatedWithoutCallingTheProviderAgain() {
		UUID orderId = UUID.randomUUID();
		Declined first = (Declined) this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_DECLINED);
		// Even a different token does not get a second attempt: the order's payment has its answer.
		AuthorizationOutcome again = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);

		assertThat(again).isInstanceOfSatisfying(Declined.class, declined -> {
			assertThat(declined.payment().id()).isEqualTo(first.payment().id());
			assertThat(declined.reason()).isEqualTo("card_declined");
		});
		assertThat(this.simulator.authorizeCalls(first.payment().id())).isEqualTo(1);
	}

	@Test
	void aPendingPaymentLeftByACrashIsResolvedByTheRetryWithoutASecondCharge() {
		UUID orderId = UUID.randomUUID();
		// A previous attempt claimed the payment and the provider approved it, then the process died before
		// recording the answer: the payment is PENDING and the provider holds one charge for its id.
		Payment claimed = this.repository.insertIfAbsent(Payment.startAuthorization(UUID.randomUUID(), orderId,
				CUSTOMER, new Money(AMOUNT, "EUR"), Instant.now()));
		AuthorizationResponse lost = this.provider.authorize(claimed.id().toString(), AMOUNT, "EUR", TOKEN_OK,
				Instant.now().plusSeconds(5));
		String reference = ((AuthorizationResponse.Approved) lost).reference();

		AuthorizationOutcome retry = this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);

		assertThat(retry).isInstanceOfSatisfying(Authorized.class, authorized -> {
			assertThat(authorized.payment().id()).isEqualTo(claimed.id());
			assertThat(authorized.payment().providerReference()).isEqualTo(reference);
		});
		assertThat(this.simulator.authorizeCalls(claimed.id())).isEqualTo(2);
		assertThat(this.simulator.charges(claimed.id())).isEqualTo(1);
		assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
	}

	@Test
	void twentyCallersAtOnceGetOnePaymentOneChargeAndTheSameOutcome() throws Exception {
		UUID orderId = UUID.randomUUID();
		int callers = 20;
		CountDownLatch start = new CountDownLatch(1);
		List<Future<AuthorizationOutcome>> answers = new ArrayList<>();
		// Platform threads, so the 20 calls really run in parallel and race on the insert.
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		try {
			for (int i = 0; i < callers; i++) {
				answers.add(pool.submit(() -> {
					start.await();
					return this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);
				}));
			}
			start.countDown();
			List<AuthorizationOutcome> outcomes = new ArrayList<>();
			for (Future<AuthorizationOutcome> answer : answers) {
				outcomes.add(answer.get(30, TimeUnit.SECONDS));
			}

			assertThat(outcomes).hasSize(callers).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(Authorized.class));
			List<Payment> paid = outcomes.stream().map(outcome -> ((Authorized) outcome).payment()).toList();
			assertThat(paid.stream().map(Payment::id).distinct()).hasSize(1);
			assertThat(paid.stream().map(Payment::providerReference).distinct()).hasSize(1);
			UUID paymentId = paid.get(0).id();
			assertThat(this.simulator.paymentRows(orderId)).isEqualTo(1);
			assertThat(this.simulator.charges(paymentId)).isEqualTo(1);
			assertThat(this.simulator.authorizeCalls(paymentId)).isBetween(1, callers);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aSecondPaymentForTheSameOrderWithAnotherAmountIsRefused() {
		UUID orderId = UUID.randomUUID();
		Authorized first = (Authorized) this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);

		assertThatThrownBy(() -> this.payments.authorize(orderId, CUSTOMER, new BigDecimal("10.00"), "EUR", TOKEN_OK))
			.isInstanceOf(ConflictingPaymentRequestException.class)
			.hasMessageContaining(orderId.toString())
			.hasMessageContaining("42.90 EUR");
		assertThatThrownBy(() -> this.payments.authorize(orderId, CUSTOMER, AMOUNT, "USD", TOKEN_OK))
			.isInstanceOf(ConflictingPaymentRequestException.class);
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().version()).isEqualTo(first.payment().version());
		assertThat(this.simulator.authorizeCalls(first.payment().id())).isEqualTo(1);
	}

	@Test
	void thePaymentKeepsTheCustomerTheAuthorizationNamed() {
		UUID orderId = UUID.randomUUID();
		Authorized authorized = (Authorized) this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);

		assertThat(authorized.payment().customerId()).isEqualTo(CUSTOMER);
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().customerId()).isEqualTo(CUSTOMER);
		// Every later step keeps it.
		this.payments.capture(orderId);
		this.payments.refund(orderId);
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().customerId()).isEqualTo(CUSTOMER);
	}

	/**
	 * An AuthorizePayment from an order-service that does not send customerId yet: authorized as before, without
	 * an owner (admins only). The redelivery from one that does fills the owner in; nothing else changes.
	 */
	@Test
	void anAuthorizationWithoutCustomerHasNoOwnerUntilARepeatedOneNamesIt() {
		UUID orderId = UUID.randomUUID();
		Authorized first = (Authorized) this.payments.authorize(orderId, null, AMOUNT, "EUR", TOKEN_OK);
		assertThat(first.payment().customerId()).isNull();
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().customerId()).isNull();

		Authorized repeated = (Authorized) this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);

		assertThat(repeated.payment().id()).isEqualTo(first.payment().id());
		Payment stored = this.repository.findByOrderId(orderId).orElseThrow();
		assertThat(stored.customerId()).isEqualTo(CUSTOMER);
		assertThat(stored.version()).as("no transition").isEqualTo(first.payment().version());
		assertThat(this.simulator.authorizeCalls(first.payment().id())).isEqualTo(1);
		// A repeat without the field takes nothing away.
		this.payments.authorize(orderId, null, AMOUNT, "EUR", TOKEN_OK);
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().customerId()).isEqualTo(CUSTOMER);
	}

	@Test
	void anAuthorizationOfTheSameOrderForAnotherCustomerIsRefused() {
		UUID orderId = UUID.randomUUID();
		Authorized first = (Authorized) this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK);
		UUID someoneElse = UUID.randomUUID();

		assertThatThrownBy(() -> this.payments.authorize(orderId, someoneElse, AMOUNT, "EUR", TOKEN_OK))
			.isInstanceOf(ConflictingPaymentRequestException.class)
			.hasMessageContaining(orderId.toString())
			.hasMessageContaining("another customer");
		Payment stored = this.repository.findByOrderId(orderId).orElseThrow();
		assertThat(stored.customerId()).isEqualTo(CUSTOMER);
		assertThat(stored.version()).isEqualTo(first.payment().version());
		assertThat(this.simulator.authorizeCalls(first.payment().id())).isEqualTo(1);
	}

	/** The void that came first leaves a tombstone without customer; the late authorization names it. */
	@Test
	void aLateAuthorizationAfterAVoidRecordsItsCustomerOnTheTombstone() {
		UUID orderId = UUID.randomUUID();
		this.payments.voidAuthorization(orderId);
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().customerId()).isNull();

		assertThat(this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", TOKEN_OK)).isInstanceOf(Declined.class);
		assertThat(this.repository.findByOrderId(orderId).orElseThrow().customerId()).isEqualTo(CUSTOMER);
	}

	@Test
	void inputThatCanNeverSucceedIsRefusedAndNothingIsStored() {
		UUID orderId = UUID.randomUUID();
		assertThatThrownBy(() -> this.payments.authorize(null, CUSTOMER, AMOUNT, "EUR", TOKEN_OK))
			.isInstanceOf(InvalidPaymentRequestException.class)
			.hasMessageContaining("orderId");
		assertThatThrownBy(() -> this.payments.authorize(orderId, CUSTOMER, new BigDecimal("-1.00"), "EUR", TOKEN_OK))
			.isInstanceOf(InvalidPaymentRequestException.class)
			.hasMessageContaining("amount");
		assertThatThrownBy(() -> this.payments.authorize(orderId, CUSTOMER, new BigDecimal("1.005"), "EUR", TOKEN_OK))
			.isInstanceOf(InvalidPaymentRequestException.class);
		assertThatThrownBy(() -> this.payments.authorize(orderId, CUSTOMER, AMOUNT, "eur", TOKEN_OK))
			.isInstanceOf(InvalidPaymentRequestException.class)
			.hasMessageContaining("currency");
		assertThatThrownBy(() -> this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", " "))
			.isInstanceOf(InvalidPaymentRequestException.class)
			.hasMessageContaining("token");
		assertThatThrownBy(() -> this.payments.authorize(orderId, CUSTOMER, AMOUNT, "EUR", null))
			.isInstanceOf(InvalidPaymentRequestException.class);
		assertThat(this.simulator.paymentRows(orderId)).isZero();
	}

	@Test
	void outcomesAreCountedByOperationAndOutcome() {
		double authorized = count("authorize", "authorized");
		double declined = count("authorize", "declined");

		this.payments.authorize(UUID.randomUUID(), CUSTOMER, AMOUNT, "EUR", TOKEN_OK);
		this.payments.authorize(UUID.randomUUID(), CUSTOMER, AMOUNT, "EUR", TOKEN_DECLINED);

		assertThat(count("authorize", "authorized")).isEqualTo(authorized + 1);
		assertThat(count("authorize", "declined")).isEqualTo(declined + 1);
	}

	private double count(String operation, String outcome) {
		var counter = this.meters.find("payments").tag("operation", operation).tag("outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

}
