package com.example.shop.notification.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.example.shop.notification.notifications.NotificationRepository;
import com.example.shop.web.problem.InvalidField;
import com.example.shop.web.problem.InvalidRequestException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The notifications of an order over HTTP, read-only, oldest first: what was (or will be) sent, to whom, and
 * how delivery went. An order without notifications, known or not, answers {@code []}: this service does not
 * know every order. Bad input answers a problem+json 400 (libs/web-problems).
 */
@RestController
@RequestMapping("/api/notifications")
class NotificationController {

	/** Strict: {@link UUID#fromString} also accepts short forms such as "1-2-3-4-5". */
	private static final Pattern UUID_PATTERN = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private static final int MAX_ECHOED_VALUE = 64;

	private final NotificationRepository notifications;

	NotificationController(NotificationRepository notifications) {
		this.notifications = notifications;
	}

	@GetMapping
	List<NotificationResponse> list(@RequestParam String orderId) {
		return this.notifications.findByOrderId(parseOrderId(orderId))
			.stream()
			.map(NotificationResponse::of)
			.toList();
	}

	private static UUID parseOrderId(String orderId) {
		return Optional.of(orderId)
			.filter(id -> UUID_PATTERN.matcher(id).matches())
			.map(UUID::fromString)
			.orElseThrow(() -> new InvalidRequestException(
					"Parameter 'orderId' must be a UUID but was '" + echo(orderId) + "'",
					List.of(new InvalidField("orderId", "must be a UUID"))));
	}

	private static String echo(String value) {
		return (value.length() > MAX_ECHOED_VALUE) ? value.substring(0, MAX_ECHOED_VALUE) + "..." : value;
	}

}
