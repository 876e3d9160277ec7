package com.example.shop.payment.provider;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import com.example.shop.payment.provider.SimulatorLedger.CardAuthorization;
import com.example.shop.payment.provider.SimulatorLedger.Operation;
import com.example.shop.payment.provider.SimulatorLedger.Status;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The built-in payment provider: behaves like an external card provider, driven by the test tokens of
 * the public contract.
 * <ul>
 * <li>{@value #TOKEN_OK} approves.</li>
 * <li>{@value #TOKEN_DECLINED} declines with {@value #CARD_DECLINED}.</li>
 * <li>{@value #TOKEN_TIMEOUT} never answers: the simulator waits until the caller's deadline and gives
 * up then, so no thread waits forever.</li>
 * <li>{@value #TOKEN_FLAKY} fails transiently on the first {@value #FLAKY_FAILURES} requests with the
 * same idempotency key, then approves.</li>
 * <li>Any other token declines with {@value #INVALID_TOKEN}.</li>
 * </ul>
 * Every call first takes {@code shop.payment.simulator.latency} and fails transiently with probability
 * {@code shop.payment.simulator.failure-rate}. The first final answer per idempotency key is stored and
 * returned to every later request with that key, so a retry never charges twice. Its storage is
 * {@link SimulatorLedger}; no connection is held while it waits.
 */
@Component
public class SimulatedPaymentProvider implements PaymentProvider {

	public static final String TOKEN_OK = "tok_ok";

	public static final String TOKEN_DECLINED = "tok_declined";

	public static final String TOKEN_TIMEOUT = "tok_timeout";

	public static final String TOKEN_FLAKY = "tok_flaky";

	public static final String CARD_DECLINED = "card_declined";

	public static final String INVALID_TOKEN = "invalid_token";

	/** How an authorization voided before the provider answered it is answered from then on. */
	public static final String AUTHORIZATION_VOIDED = "authorization_voided";

	static final int FLAKY_FAILURES = 2;

	private final SimulatorLedger ledger;

	private final TransactionTemplate transaction;

	private final SimulatorProperties properties;

	private final Clock clock;

	SimulatedPaymentProvider(SimulatorLedger ledger, PlatformTransactionManager transactionManager,
			SimulatorProperties properties, Clock clock) {
		this.ledger = ledger;
		this.transaction = new TransactionTemplate(transactionManager);
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public AuthorizationResponse authorize(String idempotencyKey, BigDecimal amount, String currency, String token,
			Instant deadline) {
		if (!takeLatency(deadline)) {
			return ProviderUnavailable.timeout();
		}
		Optional<AuthorizationResponse> answer = this.transaction
			.execute(status -> decideAuthorization(idempotencyKey, amount, currency, token));
		if (answer.isEmpty()) {
			// tok_timeout: a provider that never answers. Hold the caller until its deadline, then let go.
			sleepUntil(deadline);
			return ProviderUnavailable.timeout();
		}
		return answer.get();
	}

	@Override
	public StepResponse capture(String authorizationKey, Instant deadline) {
		return step(authorizationKey, Operation.CAPTURE, deadline, () -> {
			if (this.ledger.move(authorizationKey, Status.AUTHORIZED, Status.CAPTURED)) {
				return StepResponse.COMPLETED;
			}
			return byStatus(authorizationKey, status -> switch (status) {
				case CAPTURED, REFUNDED -> StepResponse.COMPLETED;
				case VOIDED -> new StepResponse.Refused("authorization_voided");
				case DECLINED -> new StepResponse.Refused("authorization_declined");
				case AUTHORIZED -> ProviderUnavailable.error(); // changed under us; a retry settles it
			});
		});
	}

	@Override
	public StepResponse voidAuthorization(String authorizationKey, Instant deadline) {
		return step(authorizationKey, Operation.VOID, deadline, () -> {
			// Not answered yet (never seen, in flight, lost, tok_timeout): answer it now, as declined, so
			// the authorization can never hold money later.
			if (this.ledger.recordIfAbsent(authorizationKey, Status.DECLINED, AUTHORIZATION_VOIDED, null, null,
					null)) {
				return StepResponse.COMPLETED;
			}
			if (this.ledger.move(authorizationKey, Status.AUTHORIZED, Status.VOIDED)) {
				return StepResponse.COMPLETED;
			}
			return byStatus(authorizationKey, status -> switch (status) {
				case DECLINED, VOIDED -> StepResponse.COMPLETED;
				case CAPTURED, REFUNDED -> new StepResponse.Refused("already_captured");
				case AUTHORIZED -> ProviderUnavailable.error();
			});
		});
	}

	@Override
	public StepResponse refund(String authorizationKey, Instant deadline) {
		return step(authorizationKey, Operation.REFUND, deadline, () -> {
			if (this.ledger.move(authorizationKey, Status.CAPTURED, Status.REFUNDED)) {
				return StepResponse.COMPLETED;
			}
			return byStatus(authorizationKey, status -> switch (status) {
				case REFUNDED -> StepResponse.COMPLETED;
				case AUTHORIZED -> new StepResponse.Refused("not_captured");
				case VOIDED -> new StepResponse.Refused("authorization_voided");
				case DECLINED -> new StepResponse.Refused("authorization_declined");
				case CAPTURED -> ProviderUnavailable.error();
			});
		});
	}

	/**
	 * The answer to an authorization request, in one transaction that starts by counting the request (which
	 * locks the key's request row, so requests with one key take turns). Empty: no answer ever
	 * ({@value #TOKEN_TIMEOUT}).
	 */
	private Optional<AuthorizationResponse> decideAuthorization(String key, BigDecimal amount, String currency,
			String token) {
		int calls = this.ledger.countCall(key, Operation.AUTHORIZE);
		Optional<CardAuthorization> earlier = this.ledger.find(key);
		if (earlier.isPresent()) {
			return Optional.of(response(earlier.get()));
		}
		if (failsTransiently()) {
			return Optional.of(ProviderUnavailable.error());
		}
		switch (token) {
			case TOKEN_TIMEOUT -> {
				return Optional.empty();
			}
			case TOKEN_FLAKY -> {
				if (calls <= FLAKY_FAILURES) {
					return Optional.of(ProviderUnavailable.error());
				}
				approve(key, amount, currency);
			}
			case TOKEN_OK -> approve(key, amount, currency);
			case TOKEN_DECLINED -> this.ledger.recordIfAbsent(key, Status.DECLINED, CARD_DECLINED, null, amount,
					currency);
			default -> this.ledger.recordIfAbsent(key, Status.DECLINED, INVALID_TOKEN, null, amount, currency);
		}
		// Read back rather than trust what was just written: a void may have answered this key first.
		return Optional.of(response(this.ledger.find(key).orElseThrow()));
	}

	private void approve(String key, BigDecimal amount, String currency) {
		String reference = "sim_" + UUID.randomUUID().toString().replace("-", "");
		this.ledger.recordIfAbsent(key, Status.AUTHORIZED, null, reference, amount, currency);
	}

	private StepResponse step(String key, Operation operation, Instant deadline, Supplier<StepResponse> action) {
		if (!takeLatency(deadline)) {
			return ProviderUnavailable.timeout();
		}
		return this.transaction.execute(status -> {
			this.ledger.countCall(key, operation);
			return failsTransiently() ? ProviderUnavailable.error() : action.get();
		});
	}

	/**
	 * The answer of a step whose move did not apply, by the authorization's current status. A key the
	 * provider never saw is refused: there is nothing to act on.
	 */
	private StepResponse byStatus(String key, Function<Status, StepResponse> answer) {
		return this.ledger.find(key)
			.map(authorization -> answer.apply(authorization.status()))
			.orElseGet(() -> new StepResponse.Refused("unknown_authorization"));
	}

	private static AuthorizationResponse response(CardAuthorization authorization) {
		return (authorization.status() == Status.DECLINED)
				? new AuthorizationResponse.Declined(authorization.declineReason())
				: new AuthorizationResponse.Approved(authorization.reference());
	}

	private boolean failsTransiently() {
		return ThreadLocalRandom.current().nextDouble() < this.properties.failureRate();
	}

	/**
	 * Waits the configured latency; false when the deadline comes first (after waiting until it, as a slow
	 * server would) or the caller gave up.
	 */
	private boolean takeLatency(Instant deadline) {
		Duration left = Duration.between(this.clock.instant(), deadline);
		if (this.properties.latency().compareTo(left) >= 0) {
			sleepUntil(deadline);
			return false;
		}
		return sleep(this.properties.latency());
	}

	private void sleepUntil(Instant deadline) {
		sleep(Duration.between(this.clock.instant(), deadline));
	}

	/** False when interrupted: the caller stopped waiting, so the simulator stops too. */
	private static boolean sleep(Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			return true;
		}
		try {
			Thread.sleep(duration);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
