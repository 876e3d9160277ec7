package com.example.shop.notification.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.example.shop.notification.live.LiveStatusAccess;
import com.example.shop.notification.live.LiveStatusAccess.Decision;
import com.example.shop.security.Caller;
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
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Decides at the handshake of {@code /ws/orders/{id}}, answering problem+json when it refuses. The token was
 * checked before (libs/security: 401 without a valid one, 403 without the role customer or admin); here:
 * <ul>
 * <li>400 when {@code {id}} is not a UUID, or the request is not a WebSocket upgrade (a plain GET);</li>
 * <li>404 when {@link LiveStatusAccess} finds no such order, or another customer's: the same answer, so that a
 * customer cannot learn that someone else's order exists. The handshake waits for order-service (at most its 2 s
 * deadline, nothing while the breaker is open) so that this is an HTTP 404 every client and the gateway understand,
 * instead of an accepted connection closed a moment later;</li>
 * <li>503 (with {@code Retry-After}) for a customer when whose order it is cannot be checked now;</li>
 * <li>accepted otherwise, with the status known so far.</li>
 * </ul>
 * The session ends when the token does: it is closed ({@code 1008}) at the token's expiry, and the client connects
 * again with a fresh one.
 */
class OrderStatusHandshake implements HandshakeInterceptor {

	static final String ORDER_ID = "live.orderId";

	static final String KNOWN_STATUS = "live.knownStatus";

	/** When the caller's token expires ({@link Instant}): the session is closed then. */
	static final String TOKEN_EXPIRES_AT = "live.tokenExpiresAt";

	/** Seconds a client whose handshake could not be checked should wait before it tries again. */
	private static final int RETRY_AFTER_SECONDS = 5;

	private static final String PATH_PREFIX = "/ws/orders/";

	private static final Logger log = LoggerFactory.getLogger(OrderStatusHandshake.class);

	private final LiveStatusAccess access;

	private final JsonMapper json;

	OrderStatusHandshake(LiveStatusAccess access, JsonMapper json) {
		this.access = access;
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
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		switch (this.access.decide(orderId, Caller.of(authentication))) {
			case Decision.NotFound notFound -> {
				return refuse(request, response, HttpStatus.NOT_FOUND, "Order " + orderId + " does not exist.");
			}
			case Decision.Unchecked unchecked -> {
				response.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
				return refuse(request, response, HttpStatus.SERVICE_UNAVAILABLE,
						"The order cannot be checked right now. Retry in a few seconds.");
			}
			case Decision.Admitted admitted -> {
				attributes.put(ORDER_ID, orderId);
				if (admitted.known() != null) {
					attributes.put(KNOWN_STATUS, admitted.known());
				}
			}
		}
		if (authentication instanceof JwtAuthenticationToken token && token.getToken().getExpiresAt() != null) {
			attributes.put(TOKEN_EXPIRES_AT, token.getToken().getExpiresAt());
		}
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
