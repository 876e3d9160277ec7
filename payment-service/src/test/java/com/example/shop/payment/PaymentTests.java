package com.example.shop.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The aggregate's state machine, without a database: legal transitions move, every other one is refused. */
class PaymentTests {

	static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

	static final Instant T1 = T0.plusSeconds(1);

	static final Money AMOUNT = new Money(new BigDecimal("42.90"), "EUR");

	@Test
	void authorizationStartsPending() {
		Payment payment = pending();
		assertThat(payment.status()).isEqualTo(PaymentStatus.PENDING);
		assertThat(payment.isPending()).isTrue();
		assertThat(payment.wasAuthorized()).isFalse();
		assertThat(payment.amount()).isEqualTo(AMOUNT);
	}

	@Test
	void approvedPaymentGoesThroughCaptureToRefund() {
		Payment authorized = pending().authorize("sim_1", T1);
		assertThat(authorized.status()).isEqualTo(PaymentStatus.AUTHORIZED);
		assertThat(authorized.providerReference()).isEqualTo("sim_1");
		assertThat(authorized.authorizedAt()).isEqualTo(T1);

		Payment captured = authorized.capture(T1.plusSeconds(1));
		assertThat(captured.status()).isEqualTo(PaymentStatus.CAPTURED);
		assertThat(captured.isDone(PaymentStep.CAPTURE)).isTrue();
		assertThat(captured.isDone(PaymentStep.REFUND)).isFalse();

		Payment refunded = captured.refund(T1.plusSeconds(2));
		assertThat(refunded.status()).isEqualTo(PaymentStatus.REFUNDED);
		assertThat(refunded.wasAuthorized()).isTrue();
		// A capture repeated after the refund is recognised as done, not as a new capture.
		assertThat(refunded.isDone(PaymentStep.CAPTURE)).isTrue();
		assertThat(refunded.isDone(PaymentStep.REFUND)).isTrue();
		assertThat(refunded.allows(PaymentStep.CAPTURE)).isFalse();
	}

	@Test
	void authorizedOrPendingPaymentsCanBeVoided() {
		assertThat(pending().authorize("sim_1", T1).voidAuthorization(T1).status()).isEqualTo(PaymentStatus.VOIDED);
		Payment voidedWhilePending = pending().voidAuthorization(T1);
		assertThat(voidedWhilePending.status()).isEqualTo(PaymentStatus.VOIDED);
		assertThat(voidedWhilePending.wasAuthorized()).isFalse();
		assertThat(voidedWhilePending.isDone(PaymentStep.VOID)).isTrue();
	}

	@Test
	void declinedPaymentHoldsNothingSoItsVoidIsDoneButNothingElseIsAllowed() {
		Payment declined = pending().decline("card_declined", T1);
		assertThat(declined.declineReason()).isEqualTo("card_declined");
		assertThat(declined.isDone(PaymentStep.VOID)).isTrue();
		assertThat(declined.allows(PaymentStep.CAPTURE)).isFalse();
		assertThat(declined.allows(PaymentStep.REFUND)).isFalse();
		assertThatThrownBy(() -> declined.capture(T1)).isInstanceOf(IllegalPaymentTransitionException.class)
			.hasMessageContaining("cannot go from DECLINED to CAPTURED");
		assertThatThrownBy(() -> declined.authorize("sim_1", T1))
			.isInstanceOf(IllegalPaymentTransitionException.class);
	}

	@Test
	void illegalTransitionsAreRefused() {
		Payment pending = pending();
		assertThatThrownBy(() -> pending.capture(T1)).isInstanceOf(IllegalPaymentTransitionException.class);
		assertThatThrownBy(() -> pending.refund(T1)).isInstanceOf(IllegalPaymentTransitionException.class);

		Payment authorized = pending.authorize("sim_1", T1);
		assertThatThrownBy(() -> authorized.refund(T1)).isInstanceOf(IllegalPaymentTransitionException.class);
		assertThatThrownBy(() -> authorized.authorize("sim_2", T1)).isInstanceOf(IllegalPaymentTransitionException.class);
		assertThatThrownBy(() -> authorized.decline("late", T1)).isInstanceOf(IllegalPaymentTransitionException.class);

		Payment captured = authorized.capture(T1);
		assertThatThrownBy(() -> captured.voidAuthorization(T1)).isInstanceOf(IllegalPaymentTransitionException.class);
		assertThatThrownBy(() -> captured.capture(T1)).isInstanceOf(IllegalPaymentTransitionException.class);

		Payment voided = authorized.voidAuthorization(T1);
		assertThatThrownBy(() -> voided.capture(T1)).isInstanceOf(IllegalPaymentTransitionException.class);
		assertThatThrownBy(() -> voided.voidAuthorization(T1)).isInstanceOf(IllegalPaymentTransitionException.class);

		Payment refunded = captured.refund(T1);
		assertThatThrownBy(() -> refunded.refund(T1)).isInstanceOf(IllegalPaymentTransitionException.class);
	}

	@Test
	void everyStatusAllowsExactlyTheDocumentedTransitions() {
		for (PaymentStatus from : PaymentStatus.values()) {
			for (PaymentStatus to : PaymentStatus.values()) {
				boolean expected = switch (from) {
					case PENDING -> to == PaymentStatus.AUTHORIZED || to == PaymentStatus.DECLINED
							|| to == PaymentStatus.VOIDED;
					case AUTHORIZED -> to == PaymentStatus.CAPTURED || to == PaymentStatus.VOIDED;
					case CAPTURED -> to == PaymentStatus.REFUNDED;
					case DECLINED, VOIDED, REFUNDED -> false;
				};
				assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(expected);
			}
		}
	}

	@Test
	void voidBeforeAuthorizationIsAVoidedPaymentWithoutAmount() {
		UUID orderId = UUID.randomUUID();
		Payment tombstone = Payment.voidedBeforeAuthorization(UUID.randomUUID(), orderId, T0);
		assertThat(tombstone.orderId()).isEqualTo(orderId);
		assertThat(tombstone.status()).isEqualTo(PaymentStatus.VOIDED);
		assertThat(tombstone.amount()).isNull();
		assertThat(tombstone.wasAuthorized()).isFalse();
		assertThat(tombstone.isDone(PaymentStep.VOID)).isTrue();
	}

	private static Payment pending() {
		return Payment.startAuthorization(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), AMOUNT, T0);
	}

}
