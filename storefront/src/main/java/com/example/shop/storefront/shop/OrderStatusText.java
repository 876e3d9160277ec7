package com.example.shop.storefront.shop;

/**
 * An order's status and cancellation reason (docs/api.md) in words a shopper understands; the codes themselves are
 * never shown alone.
 */
public final class OrderStatusText {

	private OrderStatusText() {
	}

	public static boolean isFinal(String status) {
		return "CONFIRMED".equals(status) || "CANCELLED".equals(status) || "FAILED".equals(status);
	}

	public static String of(String status, String cancellationReason) {
		return switch (status) {
			case "PENDING" -> "Received: we are setting your items aside.";
			case "AWAITING_PAYMENT" -> "Your items are set aside; we are asking your bank for the payment.";
			case "CONFIRMING" -> "Payment approved; we are confirming your order.";
			case "COMPENSATING" -> "We could not complete your order and are undoing it.";
			case "CONFIRMED" -> "Confirmed: your order is on its way to the warehouse.";
			case "REFUNDING" -> "You cancelled it: we are taking the items back and refunding your payment.";
			case "CANCELLED" -> "Cancelled: " + reason(cancellationReason);
			case "FAILED" -> "Something went wrong on our side; our staff have been told and will contact you.";
			default -> status;
		};
	}

	private static String reason(String cancellationReason) {
		if (cancellationReason == null) {
			return "the order was cancelled.";
		}
		return switch (cancellationReason) {
			case "OUT_OF_STOCK" -> "we did not have enough in stock. Nothing was charged.";
			case "PAYMENT_DECLINED" -> "your bank declined the payment. Nothing was charged.";
			case "TIMEOUT" -> "the payment took too long to be answered. Nothing was charged.";
			case "CUSTOMER_REQUEST" -> "you cancelled it. Nothing was charged.";
			case "REFUNDED" -> "you cancelled it and your payment was refunded.";
			default -> "the order was cancelled (" + cancellationReason + ").";
		};
	}

}
