package com.example.shop.notification;

/**
 * What a notification tells the customer; each type has its own email templates
 * ({@code templates/email/<template>.html} and {@code .txt}).
 */
public enum NotificationType {

	/** The order went through: stock confirmed and payment captured. */
	ORDER_CONFIRMED("order-confirmed"),

	/**
	 * The order was cancelled before it was confirmed, for a reason other than the payment (out of stock,
	 * timeout, the customer): nothing was charged.
	 */
	ORDER_CANCELLED("order-cancelled"),

	/** The order was cancelled because the payment was declined: the customer may try another card. */
	PAYMENT_DECLINED("payment-declined"),

	/**
	 * The order was cancelled after it was confirmed (reason REFUNDED): unlike the other cancellations, the
	 * customer had been charged, so this email says the payment was refunded and how much.
	 */
	ORDER_REFUNDED("order-refunded");

	private final String template;

	NotificationType(String template) {
		this.template = template;
	}

	/** The templates' base name under {@code templates/email/}. */
	public String template() {
		return this.template;
	}

}
