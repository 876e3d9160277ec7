package com.example.shop.payment;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.example.shop.payment.provider.AuthorizationResponse;
import com.example.shop.payment.provider.ProviderClient;
import com.example.shop.payment.provider.ProviderUnavailable;
import com.example.shop.payment.provider.StepResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Service;

/**
 * The payment use cases, and the seam the messaging adapter calls for the saga's commands
 * (AuthorizePayment, CapturePayment, VoidPayment, RefundPayment): it maps each outcome to a reply, retries
 * {@code ProviderUnavailable} later with backoff, and dead-letters {@link InvalidPaymentRequestException}
 * and {@link ConflictingPaymentRequestException}.
 * <p>
 * Every operation is idempotent by order id, whoever calls it how often, concurrently or not:
 * <ul>
 * <li>An order has at most one payment, enforced by the database ({@code UNIQUE (order_id)}): the first
 * authorization inserts the PENDING payment, every other one finds it.</li>
 * <li>No transaction and no connection is held while the provider is asked: claim the payment (one
 * statement), call the provider with the payment id as idempotency key, record the answer (one
 * version-checked statement). A crash or timeout in between leaves the payment PENDING; the next attempt
 * asks the provider again with the same key and gets the same answer, never a second charge.</li>
 * <li>A payment with a recorded outcome answers from the database, without calling the provider.</li>
 * </ul>
 */
@Service
public class Payments {

	private static final Logger log = LoggerFactory.getLogger(Payments.class);

	/** Version conflicts only come from callers recording the same outcome at once; a few rounds settle it. */
	private static final int MAX_RECORD_ATTEMPTS = 5;

	private static final int MAX_TOKEN_LENGTH = 200;

	private final PaymentRepository repository;

	private final ProviderClient provider;

	private final PaymentMetrics metrics;

	private final Clock clock;

	Payments(PaymentRepository repository, ProviderClient provider, PaymentMetrics metrics, Clock clock) {
		this.repository = repository;
		this.provider = provider;
		this.metrics = metrics;
		this.clock = clock;
	}

	/** The order's payment, in whatever state, if it has one. */
	public Optional<Payment> findByOrderId(UUID orderId) {
		return this.repository.findByOrderId(orderId);
	}

	/**
	 * Authorizes the order's payment with the provider, once per order.
	 * @param customerId the order's customer (their token's subject), who may then read the payment; null when the
	 * command did not say (an order-service from before the field): the payment is then visible to admins only,
	 * until a later authorization of the same order names the customer
	 * @throws InvalidPaymentRequestException for input that can never succeed
	 * @throws ConflictingPaymentRequestException when the order already has a payment for another amount, or of
	 * another customer
	 */
	public AuthorizationOutcome authorize(UUID orderId, UUID customerId, BigDecimal amount, String currency,
			String token) {
		requireOrderId(orderId);
		Money money = new Money(amount, currency);
		if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
			throw new InvalidPaymentRequestException(
					"token must be 1 to " + MAX_TOKEN_LENGTH + " characters for order " + orderId);
		}
		Payment payment = this.repository.insertIfAbsent(Payment.startAuthorization(UUID.randomUUID(), orderId,
				customerId, money, now()));
		if (customerId != null && payment.customerId() == null) {
			payment = this.repository.assignCustomerIfAbsent(payment.id(), customerId);
		}
		if (customerId != null && !customerId.equals(payment.customerId())) {
			throw new ConflictingPaymentRequestException("Order " + orderId + " already has payment " + payment.id()
					+ " of another customer; refusing one for customer " + customerId);
		}
		if (payment.amount() != null && !payment.amount().equals(money)) {
			throw new ConflictingPaymentRequestException("Order " + orderId + " already has payment " + payment.id()
					+ " for " + payment.amount() + "; refusing a second one for " + money);
		}
		if (!payment.isPending()) {
			return this.metrics.count(recordedOutcome(payment));
		}
		AuthorizationResponse response = this.provider.authorize(payment.id().toString(), money.amount(),
				money.currency(), token);
		AuthorizationOutcome outcome = switch (response) {
			case AuthorizationResponse.Approved approved ->
				recordAuthorization(orderId, pending -> pending.authorize(approved.reference(), now()));
			case AuthorizationResponse.Declined declined ->
				recordAuthorization(orderId, pending -> pending.decline(declined.reason(), now()));
			case ProviderUnavailable unavailable -> {
				log.info("Authorization of payment {} for order {} stays pending: {}", payment.id(), orderId,
						unavailable.reason());
				yield new AuthorizationOutcome.ProviderUnavailable(payment.id(), unavailable.reason());
			}
		};
		return this.metrics.count(outcome);
	}

	/** Captures the authorized payment of the order: AUTHORIZED -> CAPTURED. */
	public StepOutcome capture(UUID orderId) {
		return this.metrics.count(PaymentStep.CAPTURE, perform(PaymentStep.CAPTURE, orderId));
	}

	/**
	 * Makes sure no money is held for the order: AUTHORIZED or PENDING -> VOIDED; done already when
	 * declined. Also for an order whose authorization has not arrived: the void is recorded first, and the
	 * authorization, when it comes, is declined with {@link AuthorizationOutcome#AUTHORIZATION_VOIDED}.
	 * Refused once captured (that needs a refund).
	 */
	public StepOutcome voidAuthorization(UUID orderId) {
		return this.metrics.count(PaymentStep.VOID, perform(PaymentStep.VOID, orderId));
	}

	/** Refunds the captured payment of the order: CAPTURED -> REFUNDED. */
	public StepOutcome refund(UUID orderId) {
		return this.metrics.count(PaymentStep.REFUND, perform(PaymentStep.REFUND, orderId));
	}

	// ---- authorization ------------------------------------------------------------------------

	/**
	 * Records the provider's answer on the pending payment. Another caller may have recorded it first (the
	 * provider gave both the same answer) or voided the payment meanwhile: then its outcome stands.
	 */
	private AuthorizationOutcome recordAuthorization(UUID orderId, UnaryOperator<Payment> decision) {
		for (int attempt = 1; attempt <= MAX_RECORD_ATTEMPTS; attempt++) {
			Payment current = this.repository.findByOrderId(orderId).orElseThrow();
			if (!current.isPending()) {
				return recordedOutcome(current);
			}
			Optional<Payment> recorded = this.repository.update(decision.apply(current));
			if (recorded.isPresent()) {
				log.info("Payment {} for order {} is {}", current.id(), orderId, recorded.get().status());
				return recordedOutcome(recorded.get());
			}
		}
		throw new ConcurrencyFailureException("Could not record the authorization of order " + orderId + " after "
				+ MAX_RECORD_ATTEMPTS + " attempts");
	}

	private static AuthorizationOutcome recordedOutcome(Payment payment) {
		if (payment.wasAuthorized()) {
			return new AuthorizationOutcome.Authorized(payment);
		}
		return switch (payment.status()) {
			case DECLINED -> new AuthorizationOutcome.Declined(payment, payment.declineReason());
			case VOIDED -> new AuthorizationOutcome.Declined(payment, AuthorizationOutcome.AUTHORIZATION_VOIDED);
			default -> throw new IllegalStateException("No authorization outcome recorded for " + payment);
		};
	}

	// ---- capture, void, refund ----------------------------------------------------------------

	private StepOutcome perform(PaymentStep step, UUID orderId) {
		requireOrderId(orderId);
		Optional<Payment> found = this.repository.findByOrderId(orderId);
		if (found.isEmpty() && step == PaymentStep.VOID) {
			Payment tombstone = Payment.voidedBeforeAuthorization(UUID.randomUUID(), orderId, now());
			Payment payment = this.repository.insertIfAbsent(tombstone);
			if (payment.id().equals(tombstone.id())) {
				log.info("Order {} voided before its authorization arrived; it will be declined", orderId);
				return new StepOutcome.Completed(payment, false);
			}
			found = Optional.of(payment); // an authorization got in first: void it as usual
		}
		if (found.isEmpty()) {
			return new StepOutcome.Refused(orderId, null,
					"Order " + orderId + " has no payment to " + step.operation());
		}
		Payment payment = found.get();
		if (payment.isDone(step)) {
			return new StepOutcome.Completed(payment, true);
		}
		if (!payment.allows(step)) {
			return refusal(payment, step);
		}
		String key = payment.id().toString();
		StepResponse response = switch (step) {
			case CAPTURE -> this.provider.capture(key);
			case VOID -> this.provider.voidAuthorization(key);
			case REFUND -> this.provider.refund(key);
		};
		return switch (response) {
			case StepResponse.Completed completed -> recordStep(step, orderId);
			case StepResponse.Refused refused -> refusedByProvider(step, orderId, refused.reason());
			case ProviderUnavailable unavailable -> {
				log.info("{} of payment {} for order {} not done: {}", step.operation(), payment.id(), orderId,
						unavailable.reason());
				yield new StepOutcome.ProviderUnavailable(payment.id(), unavailable.reason());
			}
		};
	}

	/** Records a step the provider completed; a concurrent caller recording the same step first is fine. */
	private StepOutcome recordStep(PaymentStep step, UUID orderId) {
		for (int attempt = 1; attempt <= MAX_RECORD_ATTEMPTS; attempt++) {
			Payment current = this.repository.findByOrderId(orderId).orElseThrow();
			if (current.isDone(step)) {
				return new StepOutcome.Completed(current, true);
			}
			if (!current.allows(step)) {
				log.error("The provider completed {} for payment {}, which is {} here", step.operation(), current.id(),
						current.status());
				return refusal(current, step);
			}
			Optional<Payment> recorded = this.repository.update(current.perform(step, now()));
			if (recorded.isPresent()) {
				log.info("Payment {} for order {} is {}", current.id(), orderId, recorded.get().status());
				return new StepOutcome.Completed(recorded.get(), false);
			}
		}
		throw new ConcurrencyFailureException(
				"Could not record the " + step.operation() + " of order " + orderId + " after " + MAX_RECORD_ATTEMPTS
						+ " attempts");
	}

	/** The provider said no; unless a concurrent caller completed the same step, that is the answer. */
	private StepOutcome refusedByProvider(PaymentStep step, UUID orderId, String reason) {
		Payment current = this.repository.findByOrderId(orderId).orElseThrow();
		if (current.isDone(step)) {
			return new StepOutcome.Completed(current, true);
		}
		return new StepOutcome.Refused(orderId, current.status(), "The payment provider refused to "
				+ step.operation() + " payment " + current.id() + " of order " + orderId + ": " + reason);
	}

	private static StepOutcome.Refused refusal(Payment payment, PaymentStep step) {
		return new StepOutcome.Refused(payment.orderId(), payment.status(),
				"Payment " + payment.id() + " of order " + payment.orderId() + " is " + payment.status() + "; cannot "
						+ step.operation() + " it");
	}

	private static void requireOrderId(UUID orderId) {
		if (orderId == null) {
			throw new InvalidPaymentRequestException("orderId is required");
		}
	}

	/** Microseconds: what PostgreSQL stores, so a payment reads back exactly as it was written. */
	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
