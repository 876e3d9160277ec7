package com.example.shop.notification.email;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.example.shop.notification.Notification;
import com.example.shop.notification.NotificationType;
import com.example.shop.notification.OrderSummary;
import org.thymeleaf.context.Context;
import org.thymeleaf.exceptions.TemplateEngineException;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import org.springframework.stereotype.Component;

/**
 * Renders a notification as an email: a subject, an HTML body (inline CSS, since mail clients drop style
 * sheets) and a plain-text alternative, from the Thymeleaf templates {@code templates/email/<type>.html}
 * (HTML mode) and {@code .txt} (TEXT mode). Its own template engine, so the web's view resolution and these
 * templates never see each other's settings. A template that is missing or fails to render is a
 * {@link PermanentEmailFailureException}: retrying renders the same way.
 */
@Component
class EmailRenderer {

	private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private final SpringTemplateEngine engine = new SpringTemplateEngine();

	EmailRenderer() {
		this("templates/email/");
	}

	/** @param location the classpath folder of the templates (tests point it elsewhere) */
	EmailRenderer(String location) {
		this.engine.addTemplateResolver(resolver(location, TemplateMode.HTML, "*.html", 1));
		this.engine.addTemplateResolver(resolver(location, TemplateMode.TEXT, "*.txt", 2));
	}

	private static ClassLoaderTemplateResolver resolver(String location, TemplateMode mode, String pattern,
			int order) {
		ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
		resolver.setPrefix(location);
		resolver.setTemplateMode(mode);
		resolver.setResolvablePatterns(Set.of(pattern));
		resolver.setCharacterEncoding("UTF-8");
		// A missing template is an error here, not an empty email.
		resolver.setCheckExistence(true);
		resolver.setCacheable(true);
		resolver.setOrder(order);
		return resolver;
	}

	RenderedEmail render(Notification notification) {
		String template = notification.type().template();
		Context context = new Context(Locale.ENGLISH, Map.of("order", view(notification.order())));
		try {
			return new RenderedEmail(subject(notification.type(), notification.order()),
					this.engine.process(template + ".html", context), this.engine.process(template + ".txt", context));
		}
		catch (TemplateEngineException ex) {
			throw new PermanentEmailFailureException(
					"cannot render template '" + template + "' of " + notification.type() + ": " + ex.getMessage(), ex);
		}
	}

	static String subject(NotificationType type, OrderSummary order) {
		String shortId = shortId(order);
		return switch (type) {
			case ORDER_CONFIRMED -> "Your order " + shortId + " is confirmed";
			case ORDER_CANCELLED -> "Your order " + shortId + " was cancelled";
			case PAYMENT_DECLINED -> "Payment declined for your order " + shortId;
			case ORDER_REFUNDED -> "Your order " + shortId + " was cancelled and refunded";
		};
	}

	/** What the customer reads as the cause of a cancellation; the codes are order-service's. */
	static String cancellationReason(String reason) {
		if (reason == null) {
			return "we could not complete it";
		}
		return switch (reason) {
			case "OUT_OF_STOCK" -> "some of the items are out of stock";
			case "TIMEOUT" -> "we could not complete it in time";
			case "CUSTOMER_REQUEST" -> "you asked us to cancel it";
			case "PAYMENT_DECLINED" -> "your payment was declined";
			case "REFUNDED" -> "it was cancelled after it was confirmed";
			default -> "we could not complete it";
		};
	}

	private static OrderView view(OrderSummary order) {
		return new OrderView(order.orderId().toString(), shortId(order),
				order.lines()
					.stream()
					.map((line) -> new LineView(line.name(), line.sku(), line.quantity(),
							money(line.unitPrice(), order.currency()), money(line.lineTotal(), order.currency())))
					.toList(),
				money(order.total(), order.currency()), cancellationReason(order.reason()),
				(order.createdAt() != null) ? DATE.format(order.createdAt()) : null);
	}

	/** The first block of the order id, as the customer sees it in subjects. */
	private static String shortId(OrderSummary order) {
		return order.orderId().toString().substring(0, 8);
	}

	private static String money(BigDecimal amount, String currency) {
		if (amount == null) {
			return "";
		}
		return amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
	}

	/** The order as the templates show it: ids, amounts already formatted with their currency. */
	record OrderView(String id, String shortId, List<LineView> lines, String total, String cancellationReason,
			String placedAt) {
	}

	record LineView(String name, String sku, int quantity, String unitPrice, String lineTotal) {
	}

}
