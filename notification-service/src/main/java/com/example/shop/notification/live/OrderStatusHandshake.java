package com.example.shop.notification.live;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.example.shop.web.problem.CanonicalUuid;
import com.example.shop.web.problem.ProblemTypes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Decides at the handshake of {@code /ws/orders/{id}}, answering problem+json when it refuses:
 * <ul>
 * <li>400 when {@code {id}} is not a UUID, or the request is not a WebSocket upgrade (a plain GET);</li>
 * <li>404 when neither the projection nor order-service knows the order. The handshake waits for order-service
 * (at most its 2 s deadline, nothing while the breaker is open) so that an unknown order is an HTTP 404 every
 * client and the gateway understand, instead of an accepted connection closed a moment later;</li>
 * <li>accepted otherwise, with the status known so far (none when order-service could not answer: the client
 * then gets the status with the order's next event).</li>
 * </ul>
 */
class OrderStatusHandshake implements HandshakeInterceptor {

	static final String ORDER_ID = "live.orderId";

	static final String KNOWN_STATUS = "live.knownStatus";

	private static final String PATH_PREFIX = "/ws/orders/";

	private static final Logger log = LoggerFactory.getLogger(OrderStatusHandshake.class);

	private final OrderStatusProjection projection;

	private final OrderServiceClient orderService;

	private final JsonMapper json;

	OrderStatusHandshake(OrderStatusProjection projection, OrderServiceClient orderService, JsonMapper json) {
		this.projection = projection;
		this.orderService = orderService;
		this.json = json;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			Map<String, Object> attributes) {
		String path = request.getURI().getPath();
		String id = path.substring(path.indexOf(PATH_PREFIX) + PATH_PREFIX.length());
		UUID orderId = CanonicalUuid.parse(id).orElse(null);
		if (orderId == null) {
			return refuse(request, response, HttpStatus.BAD_REQUEST, "The order id '" + id + "' is not a UUID.");
		}
		if (!"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
			return refuse(request, response, HttpStatus.BAD_REQUEST,
					"The live order status is a WebSocket: connect with an Upgrade: websocket request.");
		}
		Optional<OrderStatusUpdate> known = this.projection.findForClient(orderId);
		if (known.isEmpty()) {
			OrderLookup lookup = this.orderService.lookup(orderId);
			switch (lookup) {
				case OrderLookup.Found found -> known = Optional.of(found.status());
				case OrderLookup.NotFound notFound -> {
					return refuse(request, response, HttpStatus.NOT_FOUND, "Order " + orderId + " does not exist.");
				}
				case OrderLookup.Unavailable unavailable -> log.info(
						"Accepted a live session of order {} without its status ({}); it gets the next event",
						orderId, unavailable.why());
			}
		}
		attributes.put(ORDER_ID, orderId);
		known.ifPresent(status -> attributes.put(KNOWN_STATUS, status));
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
			@Nullable Exception exception) {
	}

	private boolean refuse(ServerHttpRequest request, ServerHttpResponse response, HttpStatus status, String detail) {
		Map<String, Object> problem = new LinkedHashMap<>();
		problem.put("type", ProblemTypes.forStatus(status).toString());
		problem.put("title", status.getReasonPhrase());
		problem.put("status", status.value());
		problem.put("detail", detail);
		problem.put("instance", URI.create(request.getURI().getRawPath()).toString());
		byte[] body = this.json.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		response.getHeaders().set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length));
		try {
			response.getBody().write(body);
		}
		catch (java.io.IOException ex) {
			log.debug("Could not write the handshake refusal: {}", ex.toString());
		}
		return false;
	}

}
