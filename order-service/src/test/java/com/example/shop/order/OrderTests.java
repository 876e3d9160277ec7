package com.example.shop.order;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.example.shop.order.Order.PaymentOperation;
import com.example.shop.order.OrderMessage.AuthorizePayment;
import com.example.shop.order.OrderMessage.CapturePayment;
import com.example.shop.order.OrderMessage.ConfirmReservation;
import com.example.shop.order.OrderMessage.OrderCancelled;
import com.example.shop.order.OrderMessage.OrderConfirmed;
import com.example.shop.order.OrderMessage.OrderFailed;
import com.example.shop.order.OrderMessage.OrderPlaced;
import com.example.shop.order.OrderMessage.OrderStatusChanged;
import com.example.shop.order.OrderMessage.ReleaseReservation;
import com.example.shop.order.OrderMessage.ReserveStock;
import com.example.shop.order.OrderMessage.StockLine;
import com.example.shop.order.OrderMessage.VoidPayment;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every transition of the order saga's state machine (docs/saga.md), and every refusal. */
class OrderTests {

	static final SagaTimeouts TIMEOUTS = new SagaTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(60),
			Duration.ofSeconds(10), 2.0, Duration.ofSeconds(60), 3, Duration.ofDays(14));

	static final Instant T0 = Instant.parse("2026-11-21T19:45:00Z");

	static final UUID ID = UUID.fromString("11111111-1111-4111-8111-111111111111");

	static final UUID CUSTOMER = UUID.fromString("7d0c4a8e-9a57-4d0f-8c6c-1a115b0e8a53");

	static final UUID BOOK = UUID.fromString("00000000-0000-4000-8000-000000000001");

	static final UUID MUG = UUID.fromString("00000000-0000-4000-8000-000000000002");

	static Order.Placed place() {
		return Order.place(ID, CUSTOMER, "ada@example.com",
				List.of(OrderLine.priced(BOOK, "BOOK-0001", "Book", new BigDecimal("42.90"), 2),
						OrderLine.priced(MUG, "MUG-0002", "Mug", new BigDecimal("7.25"), 1)),
				"EUR", "tok_ok", T0, TIMEOUTS);
	}

	static Order pending() {
		return place().order();
	}

	static Order awaitingPayment() {
		Order order = pending();
		order.onStockReserved(T0.plusSeconds(1), TIMEOUTS);
		return order;
	}

	static Order confirming() {
		Order order = awaitingPayment();
		order.onPaymentAuthorized(T0.plusSeconds(2), TIMEOUTS);
		return order;
	}

	static Order confirmed() {
		Order order = confirming();
		order.onReservationConfirmed(T0.plusSeconds(3));
		order.onPaymentCaptured(T0.plusSeconds(3));
		return order;
	}

	/** COMPENSATING after the customer cancelled while the payment was asked for. */
	static Order compensatingWithPayment() {
		Order order = awaitingPayment();
		order.cancel(T0.plusSeconds(2), TIMEOUTS);
		return order;
	}

	static Order cancelled() {
		Order order = pending();
		order.onStockRejected(T0.plusSeconds(1));
		return order;
	}

	static Order failed() {
		Order order = confirming();
		order.onReservationRefused(T0.plusSeconds(3));
		return order;
	}

	/** REFUNDING: the customer cancelled a CONFIRMED order within the refund window. */
	static Order refunding() {
		Order order = confirmed();
		order.cancel(T0.plusSeconds(10), TIMEOUTS);
		return order;
	}

	static Order inState(OrderStatus status) {
		return switch (status) {
			case PENDING -> pending();
			case AWAITING_PAYMENT -> awaitingPayment();
			case CONFIRMING -> confirming();
			case COMPENSATING -> compensatingWithPayment();
			case CONFIRMED -> confirmed();
			case REFUNDING -> refunding();
			case CANCELLED -> cancelled();
			case FAILED -> failed();
		};
	}

	/** A copy as if loaded again: unmodified, same state. */
	static Order reloaded(Order order) {
		return new Order(order.id(), order.customerId(), order.customerEmail(), order.lines(), order.total(),
				order.currency(), order.paymentToken(), order.state(), order.stepStartedAt(), order.stepDeadline(), order.compensationAttempts(), order.version(), order.createdAt(),
				order.updatedAt());
	}

	@Nested
	class Placing {

		@Test
		void aNewOrderIsPendingWithTheTotalComputedAndAsksForStock() {
			Order.Placed placed = place();
			Order order = placed.order();
			assertThat(order.status()).isEqualTo(OrderStatus.PENDING);
			assertThat(order.total()).isEqualByComparingTo("93.05");
			assertThat(order.total().scale()).isEqualTo(2);
			assertThat(order.lines().get(0).lineTotal()).isEqualByComparingTo("85.80");
			assertThat(order.stepStartedAt()).isEqualTo(T0);
			assertThat(order.stepDeadline()).isEqualTo(T0.plus(TIMEOUTS.stockTimeout()));
			assertThat(order.cancellationReason()).isNull();
			assertThat(placed.messages()).containsExactly(
					new ReserveStock(ID, List.of(new StockLine(BOOK, 2), new StockLine(MUG, 1))),
					new OrderPlaced(order.summary(T0)));
		}

		@Test
		void anOrderWithoutLinesOrWithTwoLinesForOneProductIsRefused() {
			assertThatIllegalArgumentException().isThrownBy(
					() -> Order.place(ID, UUID.randomUUID(), "a@b.c", List.of(), "EUR", "tok_ok", T0, TIMEOUTS));
			OrderLine line = OrderLine.priced(BOOK, "B", "Book", BigDecimal.ONE, 1);
			assertThatIllegalArgumentException().isThrownBy(() -> Order.place(ID, UUID.randomUUID(), "a@b.c",
					List.of(line, line), "EUR", "tok_ok", T0, TIMEOUTS));
		}

		@Test
		void aPriceWithMoreThanTwoDecimalsIsNeverRounded() {
			assertThatThrownBy(() -> OrderLine.priced(BOOK, "B", "Book", new BigDecimal("1.005"), 1))
				.isInstanceOf(ArithmeticException.class);
		}

	}

	@Nested
	class HappyPath {

		@Test
		void stockReservedAsksForThePaymentAndForgetsTheToken() {
			Order order = pending();
			List<OrderMessage> messages = order.onStockReserved(T0.plusSeconds(1), TIMEOUTS);
			assertThat(order.status()).isEqualTo(OrderStatus.AWAITING_PAYMENT);
			assertThat(messages).containsExactly(new AuthorizePayment(ID, CUSTOMER, new BigDecimal("93.05"), "EUR", "tok_ok"),
					statusChanged(order, T0.plusSeconds(1)));
			assertThat(order.paymentToken()).isNull();
			assertThat(order.stepStartedAt()).as("each step's clock starts with it").isEqualTo(T0.plusSeconds(1));
			assertThat(order.stepDeadline()).isEqualTo(T0.plusSeconds(1).plus(TIMEOUTS.paymentTimeout()));
			assertThat(order.isModified()).isTrue();
		}

		@Test
		void paymentAuthorizedConfirmsTheReservationAndCapturesThePayment() {
			Order order = awaitingPayment();
			List<OrderMessage> messages = order.onPaymentAuthorized(T0.plusSeconds(2), TIMEOUTS);
			assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMING);
			assertThat(messages).containsExactly(new ConfirmReservation(ID), new CapturePayment(ID),
					statusChanged(order, T0.plusSeconds(2)));
			assertThat(order.stepDeadline()).isEqualTo(T0.plusSeconds(2).plus(TIMEOUTS.retryDelay(0)));
		}

		@Test
		void confirmedOnceBothRepliesArrivedInEitherOrder() {
			Order stockFirst = confirming();
			assertThat(stockFirst.onReservationConfirmed(T0.plusSeconds(3))).isEmpty();
			assertThat(stockFirst.status()).isEqualTo(OrderStatus.CONFIRMING);
			List<OrderMessage> messages = stockFirst.onPaymentCaptured(T0.plusSeconds(4));
			assertThat(stockFirst.status()).isEqualTo(OrderStatus.CONFIRMED);
			assertThat(stockFirst.stepDeadline()).isNull();
			assertThat(messages).singleElement().isInstanceOf(OrderConfirmed.class);

			Order paymentFirst = confirming();
			assertThat(paymentFirst.onPaymentCaptured(T0.plusSeconds(3))).isEmpty();
			assertThat(paymentFirst.onReservationConfirmed(T0.plusSeconds(4))).singleElement()
				.isInstanceOf(OrderConfirmed.class);
			assertThat(paymentFirst.status()).isEqualTo(OrderStatus.CONFIRMED);
			assertThat(((OrderConfirmed) messages.getFirst()).order().status()).isEqualTo(OrderStatus.CONFIRMED);
		}

	}

	@Nested
	class Cancellations {

		@Test
		void stockRejectedCancelsWithOutOfStockAndNothingToUndo() {
			Order order = pending();
			List<OrderMessage> messages = order.onStockRejected(T0.plusSeconds(1));
			assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.OUT_OF_STOCK);
			assertThat(order.stepDeadline()).isNull();
			assertThat(order.stepStartedAt()).as("a terminal order has no step").isNull();
			assertThat(messages).singleElement()
				.isInstanceOfSatisfying(OrderCancelled.class,
						(event) -> assertThat(event.reason()).isEqualTo(CancellationReason.OUT_OF_STOCK));
		}

		@Test
		void paymentDeclinedReleasesTheStockWithoutVoidingAndThenCancels() {
			Order order = awaitingPayment();
			List<OrderMessage> messages = order.onPaymentDeclined(T0.plusSeconds(2), TIMEOUTS);
			assertThat(order.status()).isEqualTo(OrderStatus.COMPENSATING);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.PAYMENT_DECLINED);
			assertThat(messages).containsExactly(new ReleaseReservation(ID, CancellationReason.PAYMENT_DECLINED),
					statusChanged(order, T0.plusSeconds(2)));
			assertThat(order.onReservationReleased(T0.plusSeconds(3))).singleElement()
				.isInstanceOf(OrderCancelled.class);
			assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.PAYMENT_DECLINED);
		}

		@Test
		void customerCancelWhilePendingReleasesTheStockOnly() {
			Order order = pending();
			List<OrderMessage> messages = order.cancel(T0.plusSeconds(1), TIMEOUTS);
			assertThat(order.status()).isEqualTo(OrderStatus.COMPENSATING);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.CUSTOMER_REQUEST);
			assertThat(messages).containsExactly(new ReleaseReservation(ID, CancellationReason.CUSTOMER_REQUEST),
					statusChanged(order, T0.plusSeconds(1)));
			assertThat(order.onReservationReleased(T0.plusSeconds(2))).singleElement()
				.isInstanceOf(OrderCancelled.class);
			assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
		}

		@Test
		void customerCancelWhileAwaitingPaymentReleasesAndVoidsAndWaitsForBoth() {
			Order order = awaitingPayment();
			List<OrderMessage> messages = order.cancel(T0.plusSeconds(2), TIMEOUTS);
			assertThat(messages).containsExactly(new ReleaseReservation(ID, CancellationReason.CUSTOMER_REQUEST),
					new VoidPayment(ID), statusChanged(order, T0.plusSeconds(2)));
			assertThat(order.onPaymentVoided(T0.plusSeconds(3))).isEmpty();
			assertThat(order.status()).isEqualTo(OrderStatus.COMPENSATING);
			assertThat(order.onReservationReleased(T0.plusSeconds(4))).singleElement()
				.isInstanceOf(OrderCancelled.class);
			assertThat(order.status()).isEqualTo(OrderStatus.CANCELLED);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.CUSTOMER_REQUEST);

			Order releasedFirst = awaitingPayment();
			releasedFirst.cancel(T0.plusSeconds(2), TIMEOUTS);
			assertThat(releasedFirst.onReservationReleased(T0.plusSeconds(3))).isEmpty();
			assertThat(releasedFirst.onPaymentVoided(T0.plusSeconds(4))).singleElement()
				.isInstanceOf(OrderCancelled.class);
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, names = { "COMPENSATING", "REFUNDING", "CANCELLED" })
		void cancelOnceCancellingRefundingOrCancelledChangesNothing(OrderStatus status) {
			Order order = reloaded(inState(status));
			assertThat(order.cancel(T0.plusSeconds(10), TIMEOUTS)).isEmpty();
			assertThat(order.status()).isEqualTo(status);
			assertThat(order.isModified()).isFalse();
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, names = { "CONFIRMING", "FAILED" })
		void cancelIsRefusedWhileConfirmingAndOnceFailed(OrderStatus status) {
			Order order = reloaded(inState(status));
			assertThatThrownBy(() -> order.cancel(T0.plusSeconds(10), TIMEOUTS))
				.isInstanceOfSatisfying(IllegalOrderTransitionException.class,
						(ex) -> assertThat(ex.getStatus()).isEqualTo(status));
			assertThat(order.status()).isEqualTo(status);
			assertThat(order.isModified()).isFalse();
		}

	}

	/** A CONFIRMED order cancelled within the refund window: the stock comes back, the money goes back. */
	@Nested
	class Refunds {

		@Test
		void cancelWithinTheWindowReturnsTheStockAndRefundsThePayment() {
			Order order = confirmed();
			Instant at = T0.plus(Duration.ofDays(14));

			List<OrderMessage> messages = order.cancel(at, TIMEOUTS);

			assertThat(order.status()).isEqualTo(OrderStatus.REFUNDING);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.REFUNDED);
			assertThat(order.stepDeadline()).isEqualTo(at.plus(TIMEOUTS.retryDelay(0)));
			assertThat(messages).containsExactly(new OrderMessage.ReturnStock(ID), new OrderMessage.RefundPayment(ID),
					statusChanged(order, at));
		}

		@Test
		void cancelAfterTheWindowIsRefusedAndChangesNothing() {
			Order order = reloaded(confirmed());
			Instant confirmedAt = T0.plusSeconds(3);

			assertThatThrownBy(() -> order.cancel(confirmedAt.plus(Duration.ofDays(14)).plusMillis(1), TIMEOUTS))
				.isInstanceOfSatisfying(IllegalOrderTransitionException.class,
						(ex) -> assertThat(ex.getStatus()).isEqualTo(OrderStatus.CONFIRMED));
			assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMED);
			assertThat(order.isModified()).isFalse();
		}

		@Test
		void cancelledWithReasonRefundedOnceBothRepliesArrivedInEitherOrder() {
			Order stockFirst = refunding();
			assertThat(stockFirst.onStockReturned(T0.plusSeconds(11))).isEmpty();
			assertThat(stockFirst.status()).isEqualTo(OrderStatus.REFUNDING);
			List<OrderMessage> done = stockFirst.onPaymentRefunded(T0.plusSeconds(12));
			assertThat(stockFirst.status()).isEqualTo(OrderStatus.CANCELLED);
			assertThat(stockFirst.cancellationReason()).isEqualTo(CancellationReason.REFUNDED);
			assertThat(stockFirst.stepDeadline()).isNull();
			assertThat(done).singleElement()
				.isInstanceOfSatisfying(OrderCancelled.class,
						(cancelled) -> assertThat(cancelled.reason()).isEqualTo(CancellationReason.REFUNDED));

			Order paymentFirst = refunding();
			assertThat(paymentFirst.onPaymentRefunded(T0.plusSeconds(11))).isEmpty();
			assertThat(paymentFirst.onStockReturned(T0.plusSeconds(12))).singleElement().isInstanceOf(OrderCancelled.class);
		}

		@Test
		void aReplyDeliveredTwiceCountsOnce() {
			Order order = refunding();
			order.onStockReturned(T0.plusSeconds(11));
			Order again = reloaded(order);
			assertThat(again.onStockReturned(T0.plusSeconds(12))).isEmpty();
			assertThat(again.isModified()).isFalse();
			assertThat(again.status()).isEqualTo(OrderStatus.REFUNDING);
		}

		@Test
		void aRefusedReturnOrRefundFailsTheOrderForAnOperator() {
			Order returnRefused = refunding();
			assertThat(returnRefused.onReservationRefused(T0.plusSeconds(11))).singleElement().isInstanceOf(OrderFailed.class);
			assertThat(returnRefused.status()).isEqualTo(OrderStatus.FAILED);
			assertThat(returnRefused.cancellationReason()).isEqualTo(CancellationReason.REFUNDED);

			Order refundRefused = refunding();
			assertThat(refundRefused.onPaymentRefused(T0.plusSeconds(11), PaymentOperation.CAPTURE)).isEmpty();
			assertThat(refundRefused.onPaymentRefused(T0.plusSeconds(11), PaymentOperation.REFUND)).singleElement()
				.isInstanceOf(OrderFailed.class);
		}

		@Test
		void aTimeoutResendsWhatIsUnansweredThenFails() {
			Order order = refunding();
			order.onPaymentRefunded(T0.plusSeconds(11));
			Instant now = order.stepDeadline();
			for (int attempt = 1; attempt <= TIMEOUTS.maxAttempts(); attempt++) {
				assertThat(order.onStepTimeout(now, TIMEOUTS)).containsExactly(new OrderMessage.ReturnStock(ID));
				assertThat(order.stepDeadline()).isEqualTo(now.plus(TIMEOUTS.retryDelay(attempt)));
				now = order.stepDeadline();
			}
			assertThat(order.onStepTimeout(now, TIMEOUTS)).singleElement().isInstanceOf(OrderFailed.class);
			assertThat(order.status()).isEqualTo(OrderStatus.FAILED);
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, mode = EnumSource.Mode.EXCLUDE, names = "REFUNDING")
		void refundRepliesChangeNothingOutsideRefunding(OrderStatus status) {
			Order order = reloaded(inState(status));
			assertThat(order.onStockReturned(T0.plusSeconds(500))).isEmpty();
			assertThat(order.onPaymentRefunded(T0.plusSeconds(500))).isEmpty();
			assertThat(order.isModified()).isFalse();
		}

	}

	@Nested
	class Timeouts {

		@Test
		void timeoutWhilePendingCompensatesWithTimeout() {
			Order order = pending();
			List<OrderMessage> messages = order.onStepTimeout(T0.plusSeconds(31), TIMEOUTS);
			assertThat(order.status()).isEqualTo(OrderStatus.COMPENSATING);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.TIMEOUT);
			// A release that overtakes its reserve leaves a tombstone at inventory: the late reserve is refused.
			assertThat(messages).containsExactly(new ReleaseReservation(ID, CancellationReason.TIMEOUT),
					statusChanged(order, T0.plusSeconds(31)));
		}

		@Test
		void timeoutWhileAwaitingPaymentReleasesAndVoids() {
			Order order = awaitingPayment();
			List<OrderMessage> messages = order.onStepTimeout(T0.plusSeconds(70), TIMEOUTS);
			assertThat(order.status()).isEqualTo(OrderStatus.COMPENSATING);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.TIMEOUT);
			assertThat(messages).containsExactly(new ReleaseReservation(ID, CancellationReason.TIMEOUT),
					new VoidPayment(ID), statusChanged(order, T0.plusSeconds(70)));
		}

		@Test
		void timeoutWhileCompensatingResendsWhatIsUnansweredWithBackoffThenFails() {
			Order order = compensatingWithPayment();
			order.onPaymentVoided(T0.plusSeconds(3));
			Instant now = T0.plusSeconds(20);
			for (int attempt = 1; attempt <= TIMEOUTS.maxAttempts(); attempt++) {
				List<OrderMessage> messages = order.onStepTimeout(now, TIMEOUTS);
				assertThat(messages).containsExactly(new ReleaseReservation(ID, CancellationReason.CUSTOMER_REQUEST));
				assertThat(order.status()).isEqualTo(OrderStatus.COMPENSATING);
				assertThat(order.compensationAttempts()).isEqualTo(attempt);
				assertThat(order.stepDeadline()).isEqualTo(now.plus(TIMEOUTS.retryDelay(attempt)));
				now = order.stepDeadline();
			}
			List<OrderMessage> messages = order.onStepTimeout(now, TIMEOUTS);
			assertThat(order.status()).isEqualTo(OrderStatus.FAILED);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.CUSTOMER_REQUEST);
			assertThat(order.stepDeadline()).isNull();
			assertThat(messages).singleElement().isInstanceOf(OrderFailed.class);
		}

		@Test
		void timeoutWhileConfirmingResendsWhatIsUnansweredThenFails() {
			Order order = confirming();
			order.onPaymentCaptured(T0.plusSeconds(3));
			for (int attempt = 1; attempt <= TIMEOUTS.maxAttempts(); attempt++) {
				assertThat(order.onStepTimeout(T0.plusSeconds(100 * attempt), TIMEOUTS))
					.containsExactly(new ConfirmReservation(ID));
				assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMING);
			}
			assertThat(order.onStepTimeout(T0.plusSeconds(1000), TIMEOUTS)).singleElement()
				.isInstanceOf(OrderFailed.class);
			assertThat(order.status()).isEqualTo(OrderStatus.FAILED);
			assertThat(order.cancellationReason()).isNull();
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, names = { "CONFIRMED", "CANCELLED", "FAILED" })
		void aTerminalOrderHasNoStepToTimeOut(OrderStatus status) {
			Order order = reloaded(inState(status));
			assertThatThrownBy(() -> order.onStepTimeout(T0.plusSeconds(1000), TIMEOUTS))
				.isInstanceOf(IllegalOrderTransitionException.class);
			assertThat(order.isModified()).isFalse();
		}

		@Test
		void backoffGrowsAndIsCapped() {
			assertThat(TIMEOUTS.retryDelay(0)).isEqualTo(Duration.ofSeconds(10));
			assertThat(TIMEOUTS.retryDelay(1)).isEqualTo(Duration.ofSeconds(20));
			assertThat(TIMEOUTS.retryDelay(2)).isEqualTo(Duration.ofSeconds(40));
			assertThat(TIMEOUTS.retryDelay(3)).isEqualTo(Duration.ofSeconds(60));
			assertThat(TIMEOUTS.retryDelay(30)).isEqualTo(Duration.ofSeconds(60));
		}

		@Test
		void dueOnlyOnceTheDeadlinePassed() {
			Order order = pending();
			assertThat(order.isDue(T0.plusSeconds(29))).isFalse();
			assertThat(order.isDue(T0.plusSeconds(30))).isTrue();
			assertThat(cancelled().isDue(T0.plusSeconds(1000))).isFalse();
		}

	}

	@Nested
	class Refusals {

		@Test
		void confirmRefusedFailsTheOrder() {
			Order order = confirming();
			assertThat(order.onReservationRefused(T0.plusSeconds(3))).singleElement().isInstanceOf(OrderFailed.class);
			assertThat(order.status()).isEqualTo(OrderStatus.FAILED);
		}

		@Test
		void releaseRefusedFailsTheOrder() {
			Order order = compensatingWithPayment();
			assertThat(order.onReservationRefused(T0.plusSeconds(3))).singleElement().isInstanceOf(OrderFailed.class);
			assertThat(order.status()).isEqualTo(OrderStatus.FAILED);
			assertThat(order.cancellationReason()).isEqualTo(CancellationReason.CUSTOMER_REQUEST);
		}

		@Test
		void captureRefusedFailsTheOrderButARefusedVoidWhileConfirmingDoesNot() {
			Order order = confirming();
			assertThat(order.onPaymentRefused(T0.plusSeconds(3), PaymentOperation.VOID)).isEmpty();
			assertThat(order.status()).isEqualTo(OrderStatus.CONFIRMING);
			assertThat(order.onPaymentRefused(T0.plusSeconds(3), PaymentOperation.CAPTURE)).singleElement()
				.isInstanceOf(OrderFailed.class);
			assertThat(order.status()).isEqualTo(OrderStatus.FAILED);
		}

		@Test
		void voidRefusedFailsACompensatingOrder() {
			Order order = compensatingWithPayment();
			assertThat(order.onPaymentRefused(T0.plusSeconds(3), PaymentOperation.VOID)).singleElement()
				.isInstanceOf(OrderFailed.class);
		}

	}

	/** Replies in a state that does not wait for them: duplicates, and replies after a timeout. */
	@Nested
	class RepliesOutOfTurn {

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, names = { "AWAITING_PAYMENT", "CONFIRMING", "CONFIRMED", "FAILED" })
		void stockReservedChangesNothing(OrderStatus status) {
			assertUnchanged(status, (order) -> order.onStockReserved(T0.plusSeconds(500), TIMEOUTS));
		}

		@Test
		void aLateStockReservedAfterGivingUpIsAnsweredWithARelease() {
			Order timedOut = pending();
			timedOut.onStepTimeout(T0.plusSeconds(31), TIMEOUTS);
			Order order = reloaded(timedOut);
			assertThat(order.onStockReserved(T0.plusSeconds(32), TIMEOUTS))
				.containsExactly(new ReleaseReservation(ID, CancellationReason.TIMEOUT));
			assertThat(order.status()).isEqualTo(OrderStatus.COMPENSATING);
			assertThat(order.isModified()).isFalse();

			Order cancelled = reloaded(inState(OrderStatus.CANCELLED));
			assertThat(cancelled.onStockReserved(T0.plusSeconds(32), TIMEOUTS))
				.containsExactly(new ReleaseReservation(ID, CancellationReason.OUT_OF_STOCK));
			assertThat(cancelled.isModified()).isFalse();
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, names = { "PENDING", "CONFIRMING", "CONFIRMED", "FAILED" })
		void paymentAuthorizedChangesNothing(OrderStatus status) {
			assertUnchanged(status, (order) -> order.onPaymentAuthorized(T0.plusSeconds(500), TIMEOUTS));
		}

		@Test
		void aLatePaymentAuthorizedAfterGivingUpIsAnsweredWithAVoid() {
			Order order = reloaded(compensatingWithPayment());
			assertThat(order.onPaymentAuthorized(T0.plusSeconds(5), TIMEOUTS)).containsExactly(new VoidPayment(ID));
			assertThat(order.isModified()).isFalse();
			// Never asked for a payment: an authorization for it is not ours to void.
			Order cancelledBeforePayment = pending();
			cancelledBeforePayment.cancel(T0.plusSeconds(1), TIMEOUTS);
			assertThat(reloaded(cancelledBeforePayment).onPaymentAuthorized(T0.plusSeconds(5), TIMEOUTS)).isEmpty();
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, mode = EnumSource.Mode.EXCLUDE, names = "PENDING")
		void stockRejectedChangesNothing(OrderStatus status) {
			assertUnchanged(status, (order) -> order.onStockRejected(T0.plusSeconds(500)));
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, mode = EnumSource.Mode.EXCLUDE, names = "AWAITING_PAYMENT")
		void paymentDeclinedChangesNothing(OrderStatus status) {
			assertUnchanged(status, (order) -> order.onPaymentDeclined(T0.plusSeconds(500), TIMEOUTS));
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, mode = EnumSource.Mode.EXCLUDE, names = "CONFIRMING")
		void confirmationRepliesChangeNothingOutsideConfirming(OrderStatus status) {
			assertUnchanged(status, (order) -> order.onReservationConfirmed(T0.plusSeconds(500)));
			assertUnchanged(status, (order) -> order.onPaymentCaptured(T0.plusSeconds(500)));
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, mode = EnumSource.Mode.EXCLUDE, names = "COMPENSATING")
		void compensationRepliesChangeNothingOutsideCompensating(OrderStatus status) {
			assertUnchanged(status, (order) -> order.onReservationReleased(T0.plusSeconds(500)));
			assertUnchanged(status, (order) -> order.onPaymentVoided(T0.plusSeconds(500)));
		}

		@ParameterizedTest
		@EnumSource(value = OrderStatus.class, names = { "PENDING", "AWAITING_PAYMENT", "CONFIRMED", "CANCELLED",
				"FAILED" })
		void refusalsChangeNothingWhereNothingWasAsked(OrderStatus status) {
			assertUnchanged(status, (order) -> order.onReservationRefused(T0.plusSeconds(500)));
			assertUnchanged(status, (order) -> order.onPaymentRefused(T0.plusSeconds(500), PaymentOperation.CAPTURE));
			assertUnchanged(status, (order) -> order.onPaymentRefused(T0.plusSeconds(500), PaymentOperation.VOID));
		}

		@Test
		void everyReplyDeliveredTwiceChangesNothingTheSecondTime() {
			Order confirming = confirming();
			confirming.onReservationConfirmed(T0.plusSeconds(3));
			assertUnchangedOnce(confirming, (order) -> order.onReservationConfirmed(T0.plusSeconds(4)));

			Order compensating = compensatingWithPayment();
			compensating.onPaymentVoided(T0.plusSeconds(3));
			assertUnchangedOnce(compensating, (order) -> order.onPaymentVoided(T0.plusSeconds(4)));
			compensating.onReservationReleased(T0.plusSeconds(5));
			assertThat(compensating.status()).isEqualTo(OrderStatus.CANCELLED);
			assertUnchangedOnce(compensating, (order) -> order.onReservationReleased(T0.plusSeconds(6)));
		}

		private void assertUnchanged(OrderStatus status, java.util.function.Function<Order, List<OrderMessage>> reply) {
			assertUnchangedOnce(inState(status), reply);
		}

		private void assertUnchangedOnce(Order original, java.util.function.Function<Order, List<OrderMessage>> reply) {
			Order order = reloaded(original);
			OrderStatus status = order.status();
			Instant deadline = order.stepDeadline();
			List<OrderMessage> messages = reply.apply(order);
			assertThat(order.status()).isEqualTo(status);
			assertThat(order.stepDeadline()).isEqualTo(deadline);
			assertThat(order.isModified()).as("modified").isFalse();
			assertThat(messages).allMatch((m) -> m instanceof ReleaseReservation || m instanceof VoidPayment);
		}

	}


	/** The event of a move into a non-terminal status: the order as it is now, at the transition's time. */
	private static OrderStatusChanged statusChanged(Order order, Instant at) {
		OrderStatusChanged event = new OrderStatusChanged(order.summary(at));
		assertThat(event.order().status()).isIn(OrderStatus.AWAITING_PAYMENT, OrderStatus.CONFIRMING,
				OrderStatus.COMPENSATING, OrderStatus.REFUNDING);
		return event;
	}

}
