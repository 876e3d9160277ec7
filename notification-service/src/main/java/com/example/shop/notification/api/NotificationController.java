package com.example.shop.notification.api;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import com.example.shop.notification.Notification;
import com.example.shop.notification.NotificationRepository;
import com.example.shop.security.Caller;
import com.example.shop.web.problem.CanonicalUuid;
import com.example.shop.web.problem.NotFoundException;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The notifications of an order over HTTP, read-only, oldest first: what was (or will be) sent, to whom, and
 * how delivery went. Bad input answers a problem+json 400 (libs/web-problems); who may call it is
 * {@link NotificationAccess}.
 * <p>
 * Whose they are: every notification keeps the order summary of the event it answers, with the order's
 * {@code customerId} (the subject of that customer's tokens). An admin reads any order's, and {@code []} for an
 * order without notifications, known or not: this service does not know every order. A customer reads an order's
 * notifications when they carry their id; for any other order id, one without notifications as much as someone
 * else's, the answer is the same 404, so that a customer cannot learn that another customer's order exists.
 */
@RestController
@RequestMapping("/api/notifications")
@Tag(name = "Notifications", description = "What was, or will be, sent about an order (role customer or admin)")
class NotificationController {

	private final NotificationRepository notifications;

	NotificationController(NotificationRepository notifications) {
		this.notifications = notifications;
	}

	@Operation(operationId = "listNotifications", summary = "An order's notifications, oldest first")
	@ApiResponse(responseCode = "200", description = "The order's notifications; an admin gets [] for an order "
			+ "without any")
	@ApiResponse(responseCode = "404", description = "For a customer: the order has no notifications of theirs "
			+ "(another customer's order, or none yet)")
	@GetMapping
	List<NotificationResponse> list(
			@Parameter(description = "The order's id", schema = @Schema(format = "uuid")) @RequestParam String orderId,
			Caller caller) {
		UUID order = CanonicalUuid.parameter("orderId", orderId);
		List<Notification> found = this.notifications.findByOrderId(order);
		if (caller.isAdmin()) {
			return found.stream().map(NotificationResponse::of).toList();
		}
		List<NotificationResponse> own = found.stream()
			.filter(notification -> caller.mayRead(owner(notification)))
			.map(NotificationResponse::of)
			.toList();
		if (own.isEmpty()) {
			throw new NotFoundException("Order " + order + " has no notification of yours.");
		}
		return own;
	}

	/** The customer the notification is about; null for a summary without one (admins only then). */
	private static String owner(Notification notification) {
		UUID customerId = notification.order().customerId();
		return (customerId != null) ? customerId.toString() : null;
	}

}
