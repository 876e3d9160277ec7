package com.example.shop.notification.api;

import java.util.List;

import com.example.shop.notification.notifications.NotificationRepository;
import com.example.shop.web.problem.CanonicalUuid;

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

	private final NotificationRepository notifications;

	NotificationController(NotificationRepository notifications) {
		this.notifications = notifications;
	}

	@GetMapping
	List<NotificationResponse> list(@RequestParam String orderId) {
		return this.notifications.findByOrderId(CanonicalUuid.parameter("orderId", orderId))
			.stream()
			.map(NotificationResponse::of)
			.toList();
	}

}
