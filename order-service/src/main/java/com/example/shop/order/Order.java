package com.example.shop.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import com.example.shop.order.OrderMessage.AuthorizePayment;
import com.example.shop.order.OrderMessage.CapturePayment;
import com.example.shop.order.OrderMessage.ConfirmReservation;
import com.example.shop.order.OrderMessage.OrderCancelled;
import com.example.shop.order.OrderMessage.OrderConfirmed;
import com.example.shop.order.OrderMessage.OrderFailed;
import com.example.shop.order.OrderMessage.OrderPlaced;
import com.example.shop.order.OrderMessage.OrderStatusChanged;
import com.example.shop.order.OrderMessage.OrderSummary;
import com.example.shop.order.OrderMessage.RefundPayment;
import com.example.shop.order.OrderMessage.ReleaseReservation;
import com.example.shop.order.OrderMessage.ReserveStock;
import com.example.shop.order.OrderMessage.ReturnStock;
import com.example.shop.order.OrderMessage.StockLine;
import com.example.shop.order.OrderMessage.VoidPayment;
import com.example.shop.order.SagaState.AwaitingPayment;
import com.example.shop.order.SagaState.Cancelled;
import com.example.shop.order.SagaState.Compensating;
import com.example.shop.order.SagaState.Confirmed;
import com.example.shop.order.SagaState.Confirming;
import com.example.shop.order.SagaState.Failed;
import com.example.shop.order.SagaState.Pending;
import com.example.shop.order.SagaState.Refunding;

/**
 * An order and its saga, as one aggregate: the saga of docs/saga.md is a small state machine on the order, its
 * state one of the records of {@link SagaState}. Which replies a state waits for, its timeout and its
 * compensation are declared once in order-service's saga table ({@code OrderSaga}); the transitions are here.
 * <p>
 * Every transition is a method that changes the order and returns the messages it must send (commands to
 * inventory and payment, lifecycle events). The caller stores the order and hands the messages to the
 * outbox in one transaction, so a decision and its commands exist together or not at all.
 * <p>
 * Two kinds of "not now":
 * <ul>
 * <li>a <b>reply</b> that arrives in a state that does not wait for it (a duplicate, or one that arrives after
 * its step timed out) changes nothing and returns no message, or only the message that undoes what the late
 * reply reports (a late StockReserved is answered with ReleaseReservation, a late PaymentAuthorized with
 * VoidPayment);</li>
 * <li>a <b>request</b> the state does not allow (a customer cancel once CONFIRMING or after the refund window,
 * a timeout of a terminal order) is refused with {@link IllegalOrderTransitionException}.</li>
 * </ul>
 * Not thread-safe: the caller holds the order's row lock (and the version check) while it works on it.
 */
public class Order {

	private final UUID id;

	private final UUID customerId;

	private final String customerEmail;

	private final List<OrderLine> lines;

	private final BigDecimal total;

	private final String currency;

	private final Instant createdAt;

	private final long version;

	private String paymentToken;

	private SagaState state;

	/** When the current step began: with the outbox's acknowledgements it tells how late the step's commands left. */
	private Instant stepStartedAt;

	private Instant stepDeadline;

	private int compensationAttempts;

	private Instant updatedAt;

	private boolean modified;

	Order(UUID id, UUID customerId, String customerEmail, List<OrderLine> lines, BigDecimal total, String currency,
			String paymentToken, SagaState state, Instant stepStartedAt, Instant stepDeadline, int compensationAttempts,
			long version, Instant createdAt, Instant updatedAt) {
		this.id = Objects.requireNonNull(id, "id");
		this.customerId = Objects.requireNonNull(customerId, "customerId");
		this.customerEmail = Objects.requireNonNull(customerEmail, "customerEmail");
		this.lines = List.copyOf(lines);
		this.total = Objects.requireNonNull(total, "total");
		this.currency = Objects.requireNonNull(currency, "currency");
		this.paymentToken = paymentToken;
		this.state = Objects.requireNonNull(state, "state");
		this.stepStartedAt = stepStartedAt;
		this.stepDeadline = stepDeadline;
		this.compensationAttempts = compensationAttempts;
		this.version = version;
		this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
		this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
	}

	/**
	 * A new order, PENDING: stock is asked for at once.
	 * @param lines priced lines, at least one, one per product, all in {@code currency}
	 * @return the order and its first messages: ReserveStock and OrderPlaced
	 */
	public static Placed place(UUID id, UUID customerId, String customerEmail, List<OrderLine> lines, String currency,
			String paymentToken, Instant now, SagaTimeouts timeouts) {
		if (lines.isEmpty()) {
			throw new IllegalArgumentException("an order needs at least one line");
		}
		if (lines.stream().map(OrderLine::productId).distinct().count() != lines.size()) {
			throw new IllegalArgumentException("an order has one line per product");
		}
		Objects.requireNonNull(paymentToken, "paymentToken");
		BigDecimal total = Money.twoDecimals(
				lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add));
		Order order = new Order(id, customerId, customerEmail, lines, total, currency, paymentToken, new Pending(), now,
				now.plus(timeouts.stockTimeout()), 0, 0, now, now);
		List<StockLine> stock = lines.stream().map((line) -> new StockLine(line.productId(), line.quantity())).toList();
		return new Placed(order, List.of(new ReserveStock(id, stock), new OrderPlaced(order.summary(now))));
	}

	/** A newly placed order and the messages to send with it. */
	public record Placed(Order order, List<OrderMessage> messages) {
	}

	// ---- inventory replies ---------------------------------------------------------------------

	/** Stock is held: ask for the payment. */
	public List<OrderMessage> onStockReserved(Instant now, SagaTimeouts timeouts) {
		return switch (this.state) {
			case Pending pending -> {
				AuthorizePayment authorize = new AuthorizePayment(this.id, this.customerId, this.total, this.currency,
						this.paymentToken);
				// Needed for exactly this one command; it is not kept any longer than that.
				this.paymentToken = null;
				step(new AwaitingPayment(), now.plus(timeouts.paymentTimeout()), now);
				yield List.of(authorize, statusChanged(now));
			}
			// The saga gave up on the stock (timeout, cancel): whatever is held now must go back.
			case Compensating compensating -> List.of(new ReleaseReservation(this.id, compensating.reason()));
			case Cancelled cancelled -> List.of(new ReleaseReservation(this.id, cancelled.reason()));
			default -> List.of();
		};
	}

	/** Inventory could not hold every line: nothing is held, nothing to undo. */
	public List<OrderMessage> onStockRejected(Instant now) {
		if (!(this.state instanceof Pending)) {
			return List.of();
		}
		return List.of(end(new Cancelled(CancellationReason.OUT_OF_STOCK, false), now));
	}

	public List<OrderMessage> onReservationConfirmed(Instant now) {
		if (!(this.state instanceof Confirming confirming) || confirming.stockConfirmed()) {
			return List.of();
		}
		return confirmedIfComplete(new Confirming(true, confirming.paymentCaptured()), now);
	}

	public List<OrderMessage> onReservationReleased(Instant now) {
		if (!(this.state instanceof Compensating compensating) || compensating.stockReleased()) {
			return List.of();
		}
		return cancelledIfComplete(new Compensating(compensating.reason(), compensating.paymentRequested(), true,
				compensating.paymentVoided()), now);
	}

	/** The stock of a refunded order is back on hand. */
	public List<OrderMessage> onStockReturned(Instant now) {
		if (!(this.state instanceof Refunding refunding) || refunding.stockReturned()) {
			return List.of();
		}
		return refundedIfComplete(new Refunding(refunding.confirmedAt(), true, refunding.paymentRefunded()), now);
	}

	/**
	 * Inventory refused a confirm (the reservation was released or expired), a release (the stock already
	 * left) or a return (the stock never left). None changes by asking again: the order needs an operator.
	 */
	public List<OrderMessage> onReservationRefused(Instant now) {
		boolean waitedFor = switch (this.state) {
			case Confirming confirming -> !confirming.stockConfirmed();
			case Compensating compensating -> !compensating.stockReleased();
			case Refunding refunding -> !refunding.stockReturned();
			default -> false;
		};
		return waitedFor ? List.of(end(new Failed(this.state.reason()), now)) : List.of();
	}

	// ---- payment replies -----------------------------------------------------------------------

	/** The payment is authorized: take the stock and the money. */
	public List<OrderMessage> onPaymentAuthorized(Instant now, SagaTimeouts timeouts) {
		return switch (this.state) {
			case AwaitingPayment awaiting -> {
				this.compensationAttempts = 0;
				step(new Confirming(false, false), now.plus(timeouts.retryDelay(0)), now);
				yield List.of(new ConfirmReservation(this.id), new CapturePayment(this.id), statusChanged(now));
			}
			// Authorized after the saga gave up on it: the hold on the money must go.
			case Compensating compensating ->
				compensating.paymentRequested() ? List.of(new VoidPayment(this.id)) : List.of();
			case Cancelled cancelled -> cancelled.paymentRequested() ? List.of(new VoidPayment(this.id)) : List.of();
			default -> List.of();
		};
	}

	/** Declined: nothing is held on the payment side; give the stock back. */
	public List<OrderMessage> onPaymentDeclined(Instant now, SagaTimeouts timeouts) {
		if (!(this.state instanceof AwaitingPayment)) {
			return List.of();
		}
		// A declined authorization holds no money: there is nothing to void.
		return compensate(new Compensating(CancellationReason.PAYMENT_DECLINED, true, false, true), now, timeouts);
	}

	public List<OrderMessage> onPaymentCaptured(Instant now) {
		if (!(this.state instanceof Confirming confirming) || confirming.paymentCaptured()) {
			return List.of();
		}
		return confirmedIfComplete(new Confirming(confirming.stockConfirmed(), true), now);
	}

	public List<OrderMessage> onPaymentVoided(Instant now) {
		if (!(this.state instanceof Compensating compensating) || !compensating.paymentRequested()
				|| compensating.paymentVoided()) {
			return List.of();
		}
		return cancelledIfComplete(new Compensating(compensating.reason(), true, compensating.stockReleased(), true),
				now);
	}

	/** The payment of a refunded order went back to the customer. */
	public List<OrderMessage> onPaymentRefunded(Instant now) {
		if (!(this.state instanceof Refunding refunding) || refunding.paymentRefunded()) {
			return List.of();
		}
		return refundedIfComplete(new Refunding(refunding.confirmedAt(), refunding.stockReturned(), true), now);
	}

	/**
	 * payment-service refused a capture (the authorization is gone), a void (the money was captured) or a
	 * refund: asking again cannot help, the order needs an operator.
	 */
	public List<OrderMessage> onPaymentRefused(Instant now, PaymentOperation operation) {
		boolean waitedFor = switch (this.state) {
			case Confirming confirming -> operation == PaymentOperation.CAPTURE && !confirming.paymentCaptured();
			case Compensating compensating -> operation == PaymentOperation.VOID && !compensating.paymentVoided();
			case Refunding refunding -> operation == PaymentOperation.REFUND && !refunding.paymentRefunded();
			default -> false;
		};
		return waitedFor ? List.of(end(new Failed(this.state.reason()), now)) : List.of();
	}

	/** The payment operations whose refusal the saga hears about. */
	public enum PaymentOperation {

		AUTHORIZE, CAPTURE, VOID, REFUND

	}

	// ---- requests ------------------------------------------------------------------------------

	/**
	 * The customer (or an admin) cancels: accepted while nothing is taken yet (PENDING, AWAITING_PAYMENT: the
	 * saga compensates), and for a CONFIRMED order within {@link SagaTimeouts#refundWindow()} of its
	 * confirmation (the saga refunds); a no-op once cancelling, refunding or cancelled.
	 * @throws IllegalOrderTransitionException while CONFIRMING, once FAILED, and for a CONFIRMED order whose
	 * refund window has passed
	 */
	public List<OrderMessage> cancel(Instant now, SagaTimeouts timeouts) {
		return switch (this.state) {
			case Pending pending -> compensate(new Compensating(CancellationReason.CUSTOMER_REQUEST, false, false, false),
					now, timeouts);
			case AwaitingPayment awaiting ->
				compensate(new Compensating(CancellationReason.CUSTOMER_REQUEST, true, false, false), now, timeouts);
			case Confirmed confirmed -> {
				if (now.isAfter(confirmed.confirmedAt().plus(timeouts.refundWindow()))) {
					throw new IllegalOrderTransitionException(this.id, OrderStatus.CONFIRMED,
							"refund after its refund window of " + timeouts.refundWindow());
				}
				this.compensationAttempts = 0;
				step(new Refunding(confirmed.confirmedAt(), false, false), now.plus(timeouts.retryDelay(0)), now);
				yield List.of(new ReturnStock(this.id), new RefundPayment(this.id), statusChanged(now));
			}
			case Compensating compensating -> List.of();
			case Refunding refunding -> List.of();
			case Cancelled cancelled -> List.of();
			case Confirming confirming -> throw new IllegalOrderTransitionException(this.id, status(), "cancel");
			case Failed failed -> throw new IllegalOrderTransitionException(this.id, status(), "cancel");
		};
	}

	/**
	 * The current step's deadline passed without the reply. Waiting for stock or payment: give up and
	 * compensate (TIMEOUT). Confirming, compensating or refunding: send what is still unanswered again (every
	 * command is idempotent at the receiver), with a growing delay, and after the last attempt give up: FAILED.
	 * @throws IllegalOrderTransitionException for an order without a step (CONFIRMED, CANCELLED, FAILED)
	 */
	public List<OrderMessage> onStepTimeout(Instant now, SagaTimeouts timeouts) {
		return switch (this.state) {
			case Pending pending -> compensate(new Compensating(CancellationReason.TIMEOUT, false, false, false), now,
					timeouts);
			case AwaitingPayment awaiting ->
				compensate(new Compensating(CancellationReason.TIMEOUT, true, false, false), now, timeouts);
			case Confirming confirming -> retryOrFail(now, timeouts, unanswered(confirming));
			case Compensating compensating -> retryOrFail(now, timeouts, unanswered(compensating));
			case Refunding refunding -> retryOrFail(now, timeouts, unanswered(refunding));
			case Confirmed confirmed -> throw new IllegalOrderTransitionException(this.id, status(), "time out a step");
			case Cancelled cancelled -> throw new IllegalOrderTransitionException(this.id, status(), "time out a step");
			case Failed failed -> throw new IllegalOrderTransitionException(this.id, status(), "time out a step");
		};
	}

	public boolean isDue(Instant now) {
		return this.stepDeadline != null && !this.stepDeadline.isAfter(now);
	}

	// ---- internals -----------------------------------------------------------------------------

	private List<OrderMessage> compensate(Compensating compensating, Instant now, SagaTimeouts timeouts) {
		this.compensationAttempts = 0;
		step(compensating, now.plus(timeouts.retryDelay(0)), now);
		List<OrderMessage> messages = new ArrayList<>(unanswered(compensating));
		messages.add(statusChanged(now));
		return messages;
	}

	/** The event of a move into a non-terminal status (terminal ones have their own, see {@link #end}). */
	private OrderStatusChanged statusChanged(Instant now) {
		return new OrderStatusChanged(summary(now));
	}

	/**
	 * ReleaseReservation even when the stock was never reserved: a release that overtakes its reserve leaves a
	 * tombstone at inventory, so the late reserve is refused. VoidPayment whenever the authorization was asked
	 * for, for the same reason at payment.
	 */
	private List<OrderMessage> unanswered(Compensating compensating) {
		List<OrderMessage> messages = new ArrayList<>();
		if (!compensating.stockReleased()) {
			messages.add(new ReleaseReservation(this.id, compensating.reason()));
		}
		if (compensating.paymentRequested() && !compensating.paymentVoided()) {
			messages.add(new VoidPayment(this.id));
		}
		return messages;
	}

	private List<OrderMessage> unanswered(Confirming confirming) {
		List<OrderMessage> messages = new ArrayList<>();
		if (!confirming.stockConfirmed()) {
			messages.add(new ConfirmReservation(this.id));
		}
		if (!confirming.paymentCaptured()) {
			messages.add(new CapturePayment(this.id));
		}
		return messages;
	}

	private List<OrderMessage> unanswered(Refunding refunding) {
		List<OrderMessage> messages = new ArrayList<>();
		if (!refunding.stockReturned()) {
			messages.add(new ReturnStock(this.id));
		}
		if (!refunding.paymentRefunded()) {
			messages.add(new RefundPayment(this.id));
		}
		return messages;
	}

	private List<OrderMessage> retryOrFail(Instant now, SagaTimeouts timeouts, List<OrderMessage> unanswered) {
		if (this.compensationAttempts >= timeouts.maxAttempts()) {
			return List.of(end(new Failed(this.state.reason()), now));
		}
		this.compensationAttempts++;
		step(this.state, now.plus(timeouts.retryDelay(this.compensationAttempts)), now);
		return unanswered;
	}

	private List<OrderMessage> confirmedIfComplete(Confirming confirming, Instant now) {
		if (confirming.complete()) {
			return List.of(end(new Confirmed(now), now));
		}
		change(confirming, now);
		return List.of();
	}

	private List<OrderMessage> cancelledIfComplete(Compensating compensating, Instant now) {
		if (compensating.complete()) {
			return List.of(end(new Cancelled(compensating.reason(), compensating.paymentRequested()), now));
		}
		change(compensating, now);
		return List.of();
	}

	private List<OrderMessage> refundedIfComplete(Refunding refunding, Instant now) {
		if (refunding.complete()) {
			// Paid before: a late authorization cannot arrive any more, nothing to void.
			return List.of(end(new Cancelled(CancellationReason.REFUNDED, false), now));
		}
		change(refunding, now);
		return List.of();
	}

	/** Into a state without a step (terminal, or CONFIRMED); returns its lifecycle event. */
	private OrderMessage.OrderEvent end(SagaState ended, Instant now) {
		this.state = ended;
		this.stepStartedAt = null;
		this.stepDeadline = null;
		this.paymentToken = null;
		touch(now);
		OrderSummary summary = summary(now);
		return switch (ended) {
			case Confirmed confirmed -> new OrderConfirmed(summary);
			case Cancelled cancelled -> new OrderCancelled(summary, cancelled.reason());
			case Failed failed -> new OrderFailed(summary);
			default -> throw new IllegalArgumentException(ended + " has a step; it does not end the saga");
		};
	}

	/** Into a state that waits, with a new deadline. */
	private void step(SagaState next, Instant deadline, Instant now) {
		this.state = next;
		this.stepStartedAt = now;
		this.stepDeadline = deadline;
		touch(now);
	}

	/** Progress within the current step: the deadline stays. */
	private void change(SagaState next, Instant now) {
		this.state = next;
		touch(now);
	}

	private void touch(Instant now) {
		this.updatedAt = now;
		this.modified = true;
	}

	public OrderSummary summary(Instant at) {
		return new OrderSummary(this.id, this.customerId, this.customerEmail, status(), cancellationReason(),
				this.total, this.currency, this.lines, this.createdAt, at);
	}

	// ---- state ---------------------------------------------------------------------------------

	public UUID id() {
		return this.id;
	}

	public UUID customerId() {
		return this.customerId;
	}

	public String customerEmail() {
		return this.customerEmail;
	}

	public List<OrderLine> lines() {
		return this.lines;
	}

	public BigDecimal total() {
		return this.total;
	}

	public String currency() {
		return this.currency;
	}

	public SagaState state() {
		return this.state;
	}

	public OrderStatus status() {
		return this.state.status();
	}

	public CancellationReason cancellationReason() {
		return this.state.reason();
	}

	/** When the current step began (with its commands); null without a step. */
	public Instant stepStartedAt() {
		return this.stepStartedAt;
	}

	/**
	 * When the current step gives up waiting, as if its commands had left at once; the sweeper moves it later
	 * by however long they waited in the outbox for the broker (OrderRepository#findDue). Null without a step.
	 */
	public Instant stepDeadline() {
		return this.stepDeadline;
	}

	public int compensationAttempts() {
		return this.compensationAttempts;
	}

	public long version() {
		return this.version;
	}

	public Instant createdAt() {
		return this.createdAt;
	}

	public Instant updatedAt() {
		return this.updatedAt;
	}

	String paymentToken() {
		return this.paymentToken;
	}

	/** Whether a transition changed the order since it was loaded (and it must be stored). */
	public boolean isModified() {
		return this.modified;
	}

	@Override
	public String toString() {
		return "Order[" + this.id + " " + this.state + " v" + this.version + "]";
	}

}
