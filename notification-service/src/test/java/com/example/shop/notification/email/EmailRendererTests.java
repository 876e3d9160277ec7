package com.example.shop.notification.email;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.example.shop.notification.Notification;
import com.example.shop.notification.NotificationStatus;
import com.example.shop.notification.NotificationType;
import com.example.shop.notification.OrderSummary;
import com.example.shop.notification.support.OrderServiceStandIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real templates, rendered: every type has an HTML and a plain-text body with the order's id, lines and
 * total, customer data is escaped in HTML, and a template that does not exist is a permanent failure.
 */
class EmailRendererTests {

	static final UUID ORDER = UUID.fromString("1a2b3c4d-0000-4000-8000-000000000001");

	@ParameterizedTest
	@EnumSource(NotificationType.class)
	void everyTypeRendersBothPartsWithTheOrder(NotificationType type) {
		RenderedEmail email = new EmailRenderer().render(notification(type, "OUT_OF_STOCK"));

		assertThat(email.subject()).contains("1a2b3c4d");
		for (String body : new String[] { email.html(), email.text() }) {
			assertThat(body).contains(ORDER.toString()).contains("Enamel mug").contains("MUG-001").contains("39.90 EUR")
				.contains("59.90 EUR").contains("30 November 2026, 10:15 UTC");
		}
		assertThat(email.html()).startsWith("<!DOCTYPE html>").contains("<table").contains("Green tea &amp; lemon")
			.doesNotContain("th:text").doesNotContain("th:each").doesNotContain("xmlns:th");
		assertThat(email.text()).contains("Green tea & lemon").doesNotContain("<").doesNotContain("[(");
	}

	@Test
	void theRefundEmailSaysTheOrderWasCancelledAndThePaymentRefundedWithItsAmount() {
		RenderedEmail email = new EmailRenderer().render(notification(NotificationType.ORDER_REFUNDED, "REFUNDED"));

		assertThat(email.subject()).isEqualTo("Your order 1a2b3c4d was cancelled and refunded");
		assertThat(email.text()).startsWith("Your order was cancelled and refunded")
			.contains("We cancelled your order 1a2b3c4d and refunded your payment of 59.90 EUR.")
			.doesNotContain("not been charged");
		assertThat(email.html()).contains("<h1 style=\"font-size:20px;margin:0 0 16px;\">Your order was cancelled and refunded</h1>")
			.contains("refunded your\n    payment of <strong>59.90 EUR</strong>");
	}

	@Test
	void customerDataIsEscapedInHtml() {
		OrderSummary order = OrderServiceStandIn.order(ORDER, "a@example.com", "CONFIRMED", null);
		OrderSummary hostile = new OrderSummary(order.orderId(), order.customerId(), order.customerEmail(),
				order.status(), null, order.total(), order.currency(),
				List.of(new OrderSummary.Line(UUID.randomUUID(), "X-1", "<script>alert(1)</script>",
						order.total(), 1, order.total())),
				order.createdAt(), order.at());

		RenderedEmail email = new EmailRenderer().render(notification(NotificationType.ORDER_CONFIRMED, hostile));

		assertThat(email.html()).doesNotContain("<script>").contains("&lt;script&gt;");
	}

	@Test
	void aTemplateThatDoesNotExistIsAPermanentFailure() {
		EmailRenderer nowhere = new EmailRenderer("templates/nowhere/");

		assertThatThrownBy(() -> nowhere.render(notification(NotificationType.ORDER_CONFIRMED, (String) null)))
			.isInstanceOf(PermanentEmailFailureException.class)
			.hasMessageContaining("cannot render template 'order-confirmed' of ORDER_CONFIRMED");
	}

	private static Notification notification(NotificationType type, String reason) {
		return notification(type, OrderServiceStandIn.order(ORDER, "a@example.com", "CANCELLED", reason));
	}

	private static Notification notification(NotificationType type, OrderSummary order) {
		return new Notification(UUID.randomUUID(), order.orderId(), UUID.randomUUID(), Notification.EMAIL, type,
				order.customerEmail(), order, NotificationStatus.PENDING, 0, null, Instant.now(), null);
	}

}
