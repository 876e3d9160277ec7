package com.example.shop.notification.notifications;

/**
 * What a notification tells the customer; each type has its own email templates
 * ({@code templates/email/<template>.html} and {@code .txt}).
 */
public enum NotificationType {

	/** The order went through: stock confirmed and payment captured. */
	ORDER_CONFIRMED("order-confirmed"),

	/** The order was cancelled for a reason other than the payment (out of stock, timeout, the customer). */
	ORDER_CANCELLED("order-cancelled"),

	/** The order was cancelled because the payment was declined: the customer may try another card. */
	PAYMENT_DECLINED("payment-declined");

	private final String template;

	NotificationType(String template) {
		this.template = template;
	}

	/** The templates' base name under {@code templates/email/}. */
	public String template() {
		return this.template;
	}

}
