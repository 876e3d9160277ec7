package com.example.shop.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a transition of an {@link Order} asks the world to do (commands to inventory-service and
 * payment-service) or tells it (lifecycle events). The messaging adapter maps each to a message of
 * docs/messaging.md and hands it to the outbox in the transaction that stores the transition.
 */
public sealed interface OrderMessage {

	UUID orderId();

	/** Commands for inventory-service (Kafka {@code inventory.commands}). */
	sealed interface InventoryCommand extends OrderMessage {
	}

	/** Commands for payment-service (RabbitMQ exchange {@code payment.commands}). */
	sealed interface PaymentCommand extends OrderMessage {
	}

	/** Lifecycle events (Kafka {@code orders.events}). */
	sealed interface OrderEvent extends OrderMessage {

		OrderSummary order();

		@Override
		default UUID orderId() {
			return order().id();
		}

	}

	record ReserveStock(UUID orderId, List<StockLine> lines) implements InventoryCommand {

		public ReserveStock {
			lines = List.copyOf(lines);
		}

	}

	record StockLine(UUID productId, int quantity) {
	}

	record ConfirmReservation(UUID orderId) implements InventoryCommand {
	}

	record ReleaseReservation(UUID orderId, CancellationReason reason) implements InventoryCommand {
	}

	/** @param customerId the order's customer, whom payment-service records as the payment's owner */
	/** A refund: the stock that left for the order comes back. */
	record ReturnStock(UUID orderId) implements InventoryCommand {
	}

	record AuthorizePayment(UUID orderId, UUID customerId, BigDecimal amount, String currency, String token)
			implements PaymentCommand {

		@Override
		public String toString() {
			// The token is a payment credential: never in a log line.
			return "AuthorizePayment[orderId=" + this.orderId + ", amount=" + this.amount + " " + this.currency + "]";
		}

	}

	record CapturePayment(UUID orderId) implements PaymentCommand {
	}

	record VoidPayment(UUID orderId) implements PaymentCommand {
	}

	/** A refund: the captured payment goes back. */
	record RefundPayment(UUID orderId) implements PaymentCommand {
	}

	record OrderPlaced(OrderSummary order) implements OrderEvent {
	}

	record OrderConfirmed(OrderSummary order) implements OrderEvent {
	}

	record OrderCancelled(OrderSummary order, CancellationReason reason) implements OrderEvent {
	}

	record OrderFailed(OrderSummary order) implements OrderEvent {
	}

	/**
	 * Into a non-terminal status after the first (AWAITING_PAYMENT, CONFIRMING, COMPENSATING, REFUNDING), so that whoever
	 * shows an order's status live (notification-service's WebSocket) sees every change, not only the outcomes.
	 */
	record OrderStatusChanged(OrderSummary order) implements OrderEvent {
	}

	/** The order as the lifecycle events carry it, as of the transition. */
	record OrderSummary(UUID id, UUID customerId, String customerEmail, OrderStatus status,
			CancellationReason cancellationReason, BigDecimal total, String currency, List<OrderLine> lines,
			Instant createdAt, Instant at) {

		public OrderSummary {
			lines = List.copyOf(lines);
		}

	}

}
