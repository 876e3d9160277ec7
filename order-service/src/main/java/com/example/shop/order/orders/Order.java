package com.example.shop.order.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import com.example.shop.order.orders.OrderMessage.AuthorizePayment;
import com.example.shop.order.orders.OrderMessage.CapturePayment;
import com.example.shop.order.orders.OrderMessage.ConfirmReservation;
import com.example.shop.order.orders.OrderMessage.OrderCancelled;
import com.example.shop.order.orders.OrderMessage.OrderConfirmed;
import com.example.shop.order.orders.OrderMessage.OrderFailed;
import com.example.shop.order.orders.OrderMessage.OrderPlaced;
import com.example.shop.order.orders.OrderMessage.OrderStatusChanged;
import com.example.shop.order.orders.OrderMessage.OrderSummary;
import com.example.shop.order.orders.OrderMessage.ReleaseReservation;
import com.example.shop.order.orders.OrderMessage.ReserveStock;
import com.example.shop.order.orders.OrderMessage.StockLine;
import com.example.shop.order.orders.OrderMessage.VoidPayment;

/**
 * An order and its saga, as one aggregate: the saga of docs/saga.md is a small state machine on the order.
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
 * <li>a <b>request</b> the state does not allow (a customer cancel once CONFIRMING, a timeout of a terminal
 * order) is refused with {@link IllegalOrderTransitionException}.</li>
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

	private OrderStatus status;

	private CancellationReason cancellationReason;

	private boolean paymentRequested;

	private boolean stockConfirmed;

	private boolean paymentCaptured;

	private boolean stockReleased;

	private boolean paymentVoided;

	/** When the current step began: with the outbox's acknowledgements it tells how late the step's commands left. */
	private Instant stepStartedAt;

	private Instant stepDeadline;

	private int compensationAttempts;

	private Instant updatedAt;

	private boolean modified;

	Order(UUID id, UUID customerId, String customerEmail, List<OrderLine> lines, BigDecimal total, String currency,
			String paymentToken, OrderStatus status, CancellationReason cancellationReason, SagaProgress progress,
			Instant stepStartedAt, Instant stepDeadline, int compensationAttempts, long version, Instant createdAt,
			Instant updatedAt) {
		this.id = Objects.requireNonNull(id, "id");
		this.customerId = Objects.requireNonNull(customerId, "customerId");
		this.customerEmail = Objects.requireNonNull(customerEmail, "customerEmail");
		this.lines = List.copyOf(lines);
		this.total = Objects.requireNonNull(total, "total");
		this.currency = Objects.requireNonNull(currency, "currency");
		this.paymentToken = paymentToken;
		this.status = Objects.requireNonNull(status, "status");
		this.cancellationReason = cancellationReason;
		this.paymentRequested = progress.paymentRequested();
		this.stockConfirmed = progress.stockConfirmed();
		this.paymentCaptured = progress.paymentCaptured();
		this.stockReleased = progress.stockReleased();
		this.paymentVoided = progress.paymentVoided();
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
		Order order = new Order(id, customerId, customerEmail, lines, total, currency, paymentToken, OrderStatus.PENDING,
				null, SagaProgress.NONE, now, now.plus(timeouts.stockTimeout()), 0, 0, now, now);
		List<StockLine> stock = lines.stream().map((line) -> new StockLine(line.productId(), line.quantity())).toList();
		return new Placed(order, List.of(new ReserveStock(id, stock), new OrderPlaced(order.summary(now))));
	}

	/** A newly placed order and the messages to send with it. */
	public record Placed(Order order, List<OrderMessage> messages) {
	}

	// ---- inventory replies ---------------------------------------------------------------------

	/** Stock is held: ask for the payment. */
	public List<OrderMessage> onStockReserved(Instant now, SagaTimeouts timeouts) {
		return switch (this.status) {
			case PENDING -> {
				AuthorizePayment authorize = new AuthorizePayment(this.id, this.customerId, this.total, this.currency,
						this.paymentToken);
				this.status = OrderStatus.AWAITING_PAYMENT;
				this.paymentRequested = true;
				// Needed for exactly this one command; it is not kept any longer than that.
				this.paymentToken = null;
				nextStep(now.plus(timeouts.paymentTimeout()), now);
				yield List.of(authorize, statusChanged(now));
			}
			// The saga gave up on the stock (timeout, cancel): whatever is held now must go back.
			case COMPENSATING, CANCELLED -> List.of(new ReleaseReservation(this.id, this.cancellationReason));
			default -> List.of();
		};
	}

	/** Inventory could not hold every line: nothing is held, nothing to undo. */
	public List<OrderMessage> onStockRejected(Instant now) {
		if (this.status != OrderStatus.PENDING) {
			return List.of();
		}
		return List.of(end(OrderStatus.CANCELLED, CancellationReason.OUT_OF_STOCK, now));
	}

	public List<OrderMessage> onReservationConfirmed(Instant now) {
		if (this.status != OrderStatus.CONFIRMING || this.stockConfirmed) {
			return List.of();
		}
		this.stockConfirmed = true;
		touch(now);
		return confirmedIfComplete(now);
	}

	public List<OrderMessage> onReservationReleased(Instant now) {
		if (this.status != OrderStatus.COMPENSATING || this.stockReleased) {
			return List.of();
		}
		this.stockReleased = true;
		touch(now);
		return cancelledIfComplete(now);
	}

	/**
	 * Inventory refused a confirm (the reservation was released or expired) or a release (the stock already
	 * left). Neither changes by asking again: the order needs an operator.
	 */
	public List<OrderMessage> onReservationRefused(Instant now) {
		if (this.status == OrderStatus.CONFIRMING && !this.stockConfirmed
				|| this.status == OrderStatus.COMPENSATING && !this.stockReleased) {
			return List.of(end(OrderStatus.FAILED, this.cancellationReason, now));
		}
		return List.of();
	}

	// ---- payment replies -----------------------------------------------------------------------

	/** The payment is authorized: take the stock and the money. */
	public List<OrderMessage> onPaymentAuthorized(Instant now, SagaTimeouts timeouts) {
		return switch (this.status) {
			case AWAITING_PAYMENT -> {
				this.status = OrderStatus.CONFIRMING;
				this.compensationAttempts = 0;
				nextStep(now.plus(timeouts.retryDelay(0)), now);
				yield List.of(new ConfirmReservation(this.id), new CapturePayment(this.id), statusChanged(now));
			}
			// Authorized after the saga gave up on it: the hold on the money must go.
			case COMPENSATING, CANCELLED -> this.paymentRequested ? List.of(new VoidPayment(this.id)) : List.of();
			default -> List.of();
		};
	}

	/** Declined: nothing is held on the payment side; give the stock back. */
	public List<OrderMessage> onPaymentDeclined(Instant now, SagaTimeouts timeouts) {
		if (this.status != OrderStatus.AWAITING_PAYMENT) {
			return List.of();
		}
		// A declined authorization holds no money: there is nothing to void.
		this.paymentVoided = true;
		return compensate(CancellationReason.PAYMENT_DECLINED, now, timeouts);
	}

	public List<OrderMessage> onPaymentCaptured(Instant now) {
		if (this.status != OrderStatus.CONFIRMING || this.paymentCaptured) {
			return List.of();
		}
		this.paymentCaptured = true;
		touch(now);
		return confirmedIfComplete(now);
	}

	public List<OrderMessage> onPaymentVoided(Instant now) {
		if (this.status != OrderStatus.COMPENSATING || !this.paymentRequested || this.paymentVoided) {
			return List.of();
		}
		this.paymentVoided = true;
		touch(now);
		return cancelledIfComplete(now);
	}

	/**
	 * payment-service refused a capture (the authorization is gone) or a void (the money was captured):
	 * asking again cannot help, the order needs an operator.
	 */
	public List<OrderMessage> onPaymentRefused(Instant now, PaymentOperation operation) {
		if (this.status == OrderStatus.CONFIRMING && operation == PaymentOperation.CAPTURE && !this.paymentCaptured
				|| this.status == OrderStatus.COMPENSATING && operation == PaymentOperation.VOID && !this.paymentVoided) {
			return List.of(end(OrderStatus.FAILED, this.cancellationReason, now));
		}
		return List.of();
	}

	/** The payment operations whose refusal the saga hears about. */
	public enum PaymentOperation {

		AUTHORIZE, CAPTURE, VOID, REFUND

	}

	// ---- requests ------------------------------------------------------------------------------

	/**
	 * The customer cancels: accepted while nothing is taken yet (PENDING, AWAITING_PAYMENT), a no-op once
	 * cancelling or cancelled.
	 * @throws IllegalOrderTransitionException once CONFIRMING, CONFIRMED or FAILED
	 */
	public List<OrderMessage> cancel(Instant now, SagaTimeouts timeouts) {
		return switch (this.status) {
			case PENDING, AWAITING_PAYMENT -> compensate(CancellationReason.CUSTOMER_REQUEST, now, timeouts);
			case COMPENSATING, CANCELLED -> List.of();
			case CONFIRMING, CONFIRMED, FAILED -> throw new IllegalOrderTransitionException(this.id, this.status, "cancel");
		};
	}

	/**
	 * The current step's deadline passed without the reply. Waiting for stock or payment: give up and
	 * compensate (TIMEOUT). Confirming or compensating: send what is still unanswered again (every command
	 * is idempotent at the receiver), with a growing delay, and after the last attempt give up: FAILED.
	 * @throws IllegalOrderTransitionException for a terminal order (it has no step)
	 */
	public List<OrderMessage> onStepTimeout(Instant now, SagaTimeouts timeouts) {
		return switch (this.status) {
			case PENDING, AWAITING_PAYMENT -> compensate(CancellationReason.TIMEOUT, now, timeouts);
			case CONFIRMING -> retryOrFail(now, timeouts, unansweredConfirmation());
			case COMPENSATING -> retryOrFail(now, timeouts, unansweredCompensation());
			case CONFIRMED, CANCELLED, FAILED ->
				throw new IllegalOrderTransitionException(this.id, this.status, "time out a step");
		};
	}

	public boolean isDue(Instant now) {
		return this.stepDeadline != null && !this.stepDeadline.isAfter(now);
	}

	// ---- internals -----------------------------------------------------------------------------

	private List<OrderMessage> compensate(CancellationReason reason, Instant now, SagaTimeouts timeouts) {
		this.status = OrderStatus.COMPENSATING;
		this.cancellationReason = reason;
		this.compensationAttempts = 0;
		nextStep(now.plus(timeouts.retryDelay(0)), now);
		List<OrderMessage> messages = unansweredCompensation();
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
	private List<OrderMessage> unansweredCompensation() {
		List<OrderMessage> messages = new ArrayList<>();
		if (!this.stockReleased) {
			messages.add(new ReleaseReservation(this.id, this.cancellationReason));
		}
		if (this.paymentRequested && !this.paymentVoided) {
			messages.add(new VoidPayment(this.id));
		}
		return messages;
	}

	private List<OrderMessage> unansweredConfirmation() {
		List<OrderMessage> messages = new ArrayList<>();
		if (!this.stockConfirmed) {
			messages.add(new ConfirmReservation(this.id));
		}
		if (!this.paymentCaptured) {
			messages.add(new CapturePayment(this.id));
		}
		return messages;
	}

	private List<OrderMessage> retryOrFail(Instant now, SagaTimeouts timeouts, List<OrderMessage> unanswered) {
		if (this.compensationAttempts >= timeouts.maxAttempts()) {
			return List.of(end(OrderStatus.FAILED, this.cancellationReason, now));
		}
		this.compensationAttempts++;
		nextStep(now.plus(timeouts.retryDelay(this.compensationAttempts)), now);
		return unanswered;
	}

	private List<OrderMessage> confirmedIfComplete(Instant now) {
		if (this.stockConfirmed && this.paymentCaptured) {
			return List.of(end(OrderStatus.CONFIRMED, null, now));
		}
		return List.of();
	}

	private List<OrderMessage> cancelledIfComplete(Instant now) {
		if (this.stockReleased && (!this.paymentRequested || this.paymentVoided)) {
			return List.of(end(OrderStatus.CANCELLED, this.cancellationReason, now));
		}
		return List.of();
	}

	/** Into a terminal state; returns its lifecycle event. */
	private OrderMessage.OrderEvent end(OrderStatus terminal, CancellationReason reason, Instant now) {
		this.status = terminal;
		this.cancellationReason = reason;
		this.stepStartedAt = null;
		this.stepDeadline = null;
		this.paymentToken = null;
		touch(now);
		OrderSummary summary = summary(now);
		return switch (terminal) {
			case CONFIRMED -> new OrderConfirmed(summary);
			case CANCELLED -> new OrderCancelled(summary, reason);
			case FAILED -> new OrderFailed(summary);
			default -> throw new IllegalArgumentException(terminal + " is not terminal");
		};
	}

	private void nextStep(Instant deadline, Instant now) {
		this.stepStartedAt = now;
		this.stepDeadline = deadline;
		touch(now);
	}

	private void touch(Instant now) {
		this.updatedAt = now;
		this.modified = true;
	}

	public OrderSummary summary(Instant at) {
		return new OrderSummary(this.id, this.customerId, this.customerEmail, this.status, this.cancellationReason,
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

	public OrderStatus status() {
		return this.status;
	}

	public CancellationReason cancellationReason() {
		return this.cancellationReason;
	}

	/** When the current step began (with its commands); null once terminal. */
	public Instant stepStartedAt() {
		return this.stepStartedAt;
	}

	/**
	 * When the current step gives up waiting, as if its commands had left at once; the sweeper moves it later
	 * by however long they waited in the outbox for the broker (OrderRepository#findDue). Null once terminal.
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

	SagaProgress progress() {
		return new SagaProgress(this.paymentRequested, this.stockConfirmed, this.paymentCaptured, this.stockReleased,
				this.paymentVoided);
	}

	/** Whether a transition changed the order since it was loaded (and it must be stored). */
	public boolean isModified() {
		return this.modified;
	}

	@Override
	public String toString() {
		return "Order[" + this.id + " " + this.status
				+ ((this.cancellationReason != null) ? "/" + this.cancellationReason : "") + " v" + this.version + "]";
	}

	/** What the saga has asked for and heard back (columns of the order row). */
	record SagaProgress(boolean paymentRequested, boolean stockConfirmed, boolean paymentCaptured,
			boolean stockReleased, boolean paymentVoided) {

		static final SagaProgress NONE = new SagaProgress(false, false, false, false, false);

	}

}
