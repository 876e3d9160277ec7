package com.example.shop.order.api;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import com.example.shop.order.Order;
import com.example.shop.security.AccessRules;
import com.example.shop.security.Caller;
import com.example.shop.web.problem.ProblemException;
import com.example.shop.web.problem.ProblemTypes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * Who may call what on orders (libs/security; anything not named here, such as the dead-letter API under
 * {@code /admin/**}, needs the role {@code admin}), and whose orders a caller sees.
 * <ul>
 * <li>Customers place, read, list and cancel their own orders; their customer id is the token's subject.</li>
 * <li>Admins do all of that for any customer.</li>
 * <li>A service account with the scope {@code orders.read} (notification-service, to authorise its live status
 * WebSocket) reads any one order, and does nothing else.</li>
 * </ul>
 * Another customer's order is answered 404, exactly as an unknown id: an id is never confirmed to exist.
 */
@Configuration(proxyBeanMethods = false)
class OrderAccess {

	/** The scope of service accounts that look orders up (notification-service). */
	static final String ORDERS_READ = "orders.read";

	private static final Pattern UUID_PATTERN = Pattern.compile(PlaceOrderRequest.UUID_PATTERN);

	@Bean
	AccessRules orderAccessRules() {
		return (rules) -> rules.requestMatchers(HttpMethod.GET, "/api/orders/*")
			.hasAnyAuthority("ROLE_" + Caller.CUSTOMER, "ROLE_" + Caller.ADMIN, "SCOPE_" + ORDERS_READ)
			.requestMatchers(HttpMethod.GET, "/api/orders")
			.hasAnyRole(Caller.CUSTOMER, Caller.ADMIN)
			.requestMatchers(HttpMethod.POST, "/api/orders", "/api/orders/*/cancel")
			.hasAnyRole(Caller.CUSTOMER, Caller.ADMIN);
	}

	/**
	 * Whether the caller may read this order: its own customer, an admin, or a service account with
	 * {@code orders.read}. The scope counts only without the customer role, so that a customer's token could
	 * not widen what it reads by carrying it (the realm gives it to notification-service's client only).
	 */
	static boolean mayRead(Caller caller, Order order) {
		return caller.isAdmin() || (caller.hasScope(ORDERS_READ) && !caller.roles().contains(Caller.CUSTOMER))
				|| owns(caller, order);
	}

	static boolean owns(Caller caller, Order order) {
		return customerId(caller).map(order.customerId()::equals).orElse(false);
	}

	/** The caller's customer id: the token's subject, a UUID for every user of the realm. */
	static Optional<UUID> customerId(Caller caller) {
		String subject = caller.subject();
		return (subject != null && UUID_PATTERN.matcher(subject).matches()) ? Optional.of(UUID.fromString(subject))
				: Optional.empty();
	}

	/**
	 * As {@link #customerId}, for what only a caller with a customer id can do (place an order, list its own).
	 * @throws ProblemException 403 when the token's subject is not a customer id
	 */
	static UUID requireCustomerId(Caller caller) {
		return customerId(caller).orElseThrow(() -> forbidden(
				"This token's subject is not a customer id (a UUID), so it cannot own orders"));
	}

	static ProblemException forbidden(String detail) {
		return new ProblemException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", detail);
	}

}
