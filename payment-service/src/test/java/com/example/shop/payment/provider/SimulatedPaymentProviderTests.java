package com.example.shop.payment.provider;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import com.example.shop.testsupport.Infrastructure;
import com.example.shop.testsupport.UsesInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;

import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_DECLINED;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_FLAKY;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_OK;
import static com.example.shop.payment.provider.SimulatedPaymentProvider.TOKEN_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator on its own, as an external provider would be tested: idempotency keys, the test tokens,
 * latency and failure rate, and the state rules of capture, void and refund.
 */
@SpringBootTest
@ActiveProfiles("test")
@UsesInfrastructure({ Infrastructure.POSTGRES, Infrastructure.RABBITMQ })
class SimulatedPaymentProviderTests {

	static final BigDecimal AMOUNT = new BigDecimal("12.00");

	@Autowired
	SimulatedPaymentProvider provider;

	@Autowired
	SimulatorLedger ledger;

	@Autowired
	PlatformTransactionManager transactionManager;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Clock clock;

	SimulatorRecords records;

	@BeforeEach
	void setUp() {
		this.records = new SimulatorRecords(this.jdbc);
	}

	@Test
	void sameKeyGetsTheSameAnswerAndOneCharge() {
		String key = newKey();
		AuthorizationResponse first = authorize(key, TOKEN_OK);
		AuthorizationResponse second = authorize(key, TOKEN_OK);
		// The first final answer for a key stands, whatever a later request with that key carries.
		AuthorizationResponse third = authorize(key, TOKEN_DECLINED);

		assertThat(first).isInstanceOf(AuthorizationResponse.Approved.class);
		assertThat(second).isEqualTo(first);
		assertThat(third).isEqualTo(first);
		assertThat(this.records.calls(key, "AUTHORIZE")).isEqualTo(3);
		assertThat(this.records.charges(key)).isEqualTo(1);
	}

	@Test
	void declinedKeyStaysDeclined() {
		String key = newKey();
		assertThat(authorize(key, TOKEN_DECLINED)).isEqualTo(new AuthorizationResponse.Declined("card_declined"));
		assertThat(authorize(key, TOKEN_OK)).isEqualTo(new AuthorizationResponse.Declined("card_declined"));
		assertThat(authorize(newKey(), "tok_unknown")).isEqualTo(new AuthorizationResponse.Declined("invalid_token"));
		assertThat(this.records.charges(key)).isZero();
	}

	@Test
	void flakyFailsTwicePerKeyThenApproves() {
		String key = newKey();
		String other = newKey();
		assertThat(authorize(key, TOKEN_FLAKY)).isEqualTo(ProviderUnavailable.error());
		assertThat(authorize(key, TOKEN_FLAKY)).isEqualTo(ProviderUnavailable.error());
		// Another key has its own count.
		assertThat(authorize(other, TOKEN_FLAKY)).isEqualTo(ProviderUnavailable.error());
		assertThat(authorize(key, TOKEN_FLAKY)).isInstanceOf(AuthorizationResponse.Approved.class);
		assertThat(authorize(key, TOKEN_FLAKY)).isInstanceOf(AuthorizationResponse.Approved.class);
		assertThat(this.records.charges(key)).isEqualTo(1);
		assertThat(this.records.charges(other)).isZero();
	}

	@Test
	void timeoutTokenHoldsTheCallerUntilItsDeadlineAndNoLonger() {
		String key = newKey();
		long start = System.nanoTime();
		AuthorizationResponse response = this.provider.authorize(key, AMOUNT, "EUR", TOKEN_TIMEOUT,
				Instant.now().plusMillis(300));
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(response).isEqualTo(ProviderUnavailable.timeout());
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(Duration.ofMillis(1300));
		assertThat(this.records.calls(key, "AUTHORIZE")).isEqualTo(1);
		assertThat(this.ledger.find(key)).isEmpty();
	}

	@Test
	void latencyBeyondTheDeadlineIsATimeoutBeforeAnythingHappens() {
		SimulatedPaymentProvider slow = new SimulatedPaymentProvider(this.ledger, this.transactionManager,
				new SimulatorProperties(Duration.ofSeconds(5), 0.0), this.clock);
		String key = newKey();
		long start = System.nanoTime();
		AuthorizationResponse response = slow.authorize(key, AMOUNT, "EUR", TOKEN_OK, Instant.now().plusMillis(200));
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		assertThat(response).isEqualTo(ProviderUnavailable.timeout());
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(150)).isLessThan(Duration.ofSeconds(2));
		assertThat(this.records.calls(key, "AUTHORIZE")).isZero();
	}

	@Test
	void failureRateOneFailsEveryCallTransientlyAndRecordsNoAnswer() {
		SimulatedPaymentProvider failing = new SimulatedPaymentProvider(this.ledger, this.transactionManager,
				new SimulatorProperties(Duration.ZERO, 1.0), this.clock);
		String key = newKey();
		assertThat(failing.authorize(key, AMOUNT, "EUR", TOKEN_OK, deadline())).isEqualTo(ProviderUnavailable.error());
		assertThat(failing.authorize(key, AMOUNT, "EUR", TOKEN_OK, deadline())).isEqualTo(ProviderUnavailable.error());
		assertThat(this.ledger.find(key)).isEmpty();
		// Once the provider recovers, the same key is answered normally.
		assertThat(authorize(key, TOKEN_OK)).isInstanceOf(AuthorizationResponse.Approved.class);
		assertThat(failing.capture(key, deadline())).isEqualTo(ProviderUnavailable.error());
		assertThat(this.records.status(UUID.fromString(key))).isEqualTo("AUTHORIZED");
	}

	@Test
	void captureAndRefundFollowTheAuthorizationsState() {
		String key = newKey();
		assertThat(this.provider.capture(key, deadline())).isEqualTo(new StepResponse.Refused("unknown_authorization"));
		authorize(key, TOKEN_OK);
		assertThat(this.provider.refund(key, deadline())).isEqualTo(new StepResponse.Refused("not_captured"));
		assertThat(this.provider.capture(key, deadline())).isEqualTo(StepResponse.COMPLETED);
		assertThat(this.provider.capture(key, deadline())).isEqualTo(StepResponse.COMPLETED);
		assertThat(this.provider.voidAuthorization(key, deadline()))
			.isEqualTo(new StepResponse.Refused("already_captured"));
		assertThat(this.provider.refund(key, deadline())).isEqualTo(StepResponse.COMPLETED);
		assertThat(this.provider.refund(key, deadline())).isEqualTo(StepResponse.COMPLETED);
		assertThat(this.records.status(UUID.fromString(key))).isEqualTo("REFUNDED");
		// the refused capture before the authorization counts too
		assertThat(this.records.calls(key, "CAPTURE")).isEqualTo(3);
	}

	@Test
	void voidReleasesAnApprovedAuthorization() {
		String key = newKey();
		authorize(key, TOKEN_OK);
		assertThat(this.provider.voidAuthorization(key, deadline())).isEqualTo(StepResponse.COMPLETED);
		assertThat(this.provider.voidAuthorization(key, deadline())).isEqualTo(StepResponse.COMPLETED);
		assertThat(this.provider.capture(key, deadline())).isEqualTo(new StepResponse.Refused("authorization_voided"));
		assertThat(this.records.status(UUID.fromString(key))).isEqualTo("VOIDED");
	}

	@Test
	void voidBeforeTheAuthorizationWasAnsweredDeclinesItForGood() {
		String key = newKey();
		// tok_timeout: the provider got the request but never answered it.
		this.provider.authorize(key, AMOUNT, "EUR", TOKEN_TIMEOUT, Instant.now().plusMillis(100));

		assertThat(this.provider.voidAuthorization(key, deadline())).isEqualTo(StepResponse.COMPLETED);

		assertThat(authorize(key, TOKEN_OK)).isEqualTo(new AuthorizationResponse.Declined("authorization_voided"));
		assertThat(this.records.charges(key)).isZero();
	}

	private AuthorizationResponse authorize(String key, String token) {
		return this.provider.authorize(key, AMOUNT, "EUR", token, deadline());
	}

	private static Instant deadline() {
		return Instant.now().plusSeconds(5);
	}

	private static String newKey() {
		return UUID.randomUUID().toString();
	}

}
