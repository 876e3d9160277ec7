package com.example.shop.notification.live.client;

import java.time.Instant;
import java.util.UUID;

import com.example.shop.notification.live.KnownOrder;
import com.example.shop.notification.live.OrderDirectory;
import com.example.shop.notification.live.OrderLookup;
import com.example.shop.notification.live.OrderStatus;
import com.example.shop.notification.live.OrderStatusUpdate;
import com.example.shop.security.ServiceTokens;
import com.example.shop.security.ServiceTokens.ServiceTokenUnavailableException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The {@link OrderDirectory} of order-service: asks it ({@code GET /api/orders/{id}}, found through Eureka) for the
 * status and the customer of an order the projection does not know (or not whose it is): the client connected before
 * the order's first event reached this replica, or the replica is new. One attempt with a deadline (connect 500 ms,
 * response 2 s), behind the circuit breaker "order-service": no retry (the next event brings the status anyway, and a
 * customer whose handshake could not be checked connects again); an open breaker answers
 * {@link OrderLookup.Unavailable} at once instead of letting every handshake wait out the deadline.
 * <p>
 * Every call carries this service's own token (client credentials, scope {@code orders.read}, added by
 * {@link ServiceTokens#asInterceptor()}). Without one (the realm cannot be reached and the token held has
 * expired) the answer is {@link OrderLookup.Unavailable}, not counted against order-service by the breaker.
 */
class OrderServiceClient implements OrderDirectory {

	private static final Logger log = LoggerFactory.getLogger(OrderServiceClient.class);

	private final RestClient orderService;

	private final CircuitBreaker breaker;

	OrderServiceClient(RestClient orderService, CircuitBreaker breaker) {
		this.orderService = orderService;
		this.breaker = breaker;
	}

	@Override
	public OrderLookup lookup(UUID orderId) {
		try {
			return this.breaker.executeSupplier(() -> call(orderId));
		}
		catch (CallNotPermittedException ex) {
			return new OrderLookup.Unavailable("circuit breaker open");
		}
		catch (OrderServiceUnavailableException ex) {
			return new OrderLookup.Unavailable(ex.getMessage());
		}
		catch (ServiceTokenUnavailableException ex) {
			log.warn("Cannot ask order-service about order {}: this service has no valid token ({})", orderId,
					ex.getMessage());
			return new OrderLookup.Unavailable("no service token: " + ex.getMessage());
		}
	}

	private OrderLookup call(UUID orderId) {
		OrderView order;
		try {
			order = this.orderService.get()
				.uri("/api/orders/{id}", orderId)
				.accept(MediaType.APPLICATION_JSON)
				.retrieve()
				.body(OrderView.class);
		}
		catch (HttpClientErrorException.NotFound ex) {
			return new OrderLookup.NotFound();
		}
		catch (RestClientResponseException ex) {
			if (ex.getStatusCode().value() == 401 || ex.getStatusCode().value() == 403) {
				// Our token refused: a configuration fault (client, scope, realm), not order-service's health.
				log.warn("order-service refused this service's token with {} (client notification-service needs "
						+ "scope orders.read)", ex.getStatusCode().value());
				return new OrderLookup.Unavailable("order-service refused our token: " + ex.getStatusCode().value());
			}
			if (ex.getStatusCode().is4xxClientError()) {
				// A valid UUID refused otherwise: nothing to learn; not order-service's health either.
				return new OrderLookup.Unavailable("order-service answered " + ex.getStatusCode().value());
			}
			throw new OrderServiceUnavailableException("order-service answered " + ex.getStatusCode().value(), ex);
		}
		catch (RestClientException | IllegalStateException ex) {
			// IllegalStateException: the load balancer has no instance of order-service.
			throw new OrderServiceUnavailableException("order-service did not answer: " + ex.getMessage(), ex);
		}
		if (order == null || order.updatedAt() == null || !orderId.equals(order.id())) {
			return new OrderLookup.Unavailable("order-service answered without the order");
		}
		return OrderStatus.parse(order.status())
			.<OrderLookup>map(status -> new OrderLookup.Found(new KnownOrder(
					new OrderStatusUpdate(orderId, status, order.cancellationReason(), order.updatedAt()),
					order.customerId())))
			.orElseGet(() -> new OrderLookup.Unavailable("unknown status " + order.status()));
	}

	/**
	 * The part of order-service's order representation read here; {@code updatedAt} is when its status last
	 * changed, the same instant as that transition's event {@code at}; {@code customerId} whose order it is.
	 */
	record OrderView(UUID id, @Nullable UUID customerId, @Nullable String status, @Nullable String cancellationReason,
			@Nullable Instant updatedAt) {
	}

}
